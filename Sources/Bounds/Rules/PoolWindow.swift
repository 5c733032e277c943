public import Tensor

/// Order facts about the elements of one max-pooling window over a box: which element can be the maximum, and
/// which one is the maximum everywhere. Shared by max pooling's bound rule (``MaxPoolBoundRule``) and its
/// difference rule (`Differential`), so both read a window the same way.
public enum PoolWindow {
    /// The element of `window` (not empty) with the largest lower bound in `box`, the first of equals.
    public static func largestLower(_ window: [Int], in box: Box) -> Int {
        var p = window[0]
        for i in window where box.lower[i] > box.lower[p] { p = i }
        return p
    }

    /// The largest upper bound in `box` among the elements of `window` other than `k` (all of them when `k` is
    /// nil); −∞ when there is none.
    public static func largestUpper(_ window: [Int], in box: Box, excluding k: Int? = nil) -> Double {
        window.reduce(-Double.infinity) { $1 == k ? $0 : Swift.max($0, box.upper[$1]) }
    }

    /// The element whose lower bound is at least every other element's upper bound, so that it is the window's
    /// maximum at every point of `box`, if one is (NaN bounds never dominate).
    public static func dominant(_ window: [Int], in box: Box) -> Int? {
        guard !window.isEmpty else { return nil }
        let p = largestLower(window, in: box)
        return box.lower[p] >= largestUpper(window, in: box, excluding: p) ? p : nil
    }
}
