public import Network
public import Tensor

extension DifferenceBounds {
    /// Certified bounds of `g − f` over `box`, tightened by input bisection: starting from `box`, the leaf with
    /// the largest `max |g − f|` bound is split at the midpoint of its widest coordinate (width relative to
    /// `box`'s, so that the choice does not depend on the inputs' units), `splits` times; the result is the
    /// union of the leaves' bounds (every input lies in some leaf), intersected with the unsplit bound. The naive
    /// bound stays the unsplit one. `splits = 0` is ``compute(original:compressed:over:margins:)``.
    /// - Complexity: `splits + 1` calls of the unsplit computation (two per split).
    public static func compute(
        original f: Network, compressed g: Network, over box: Box, splits: Int,
        margins: SoundnessMargins = SoundnessMargins()
    ) throws(DifferentialError) -> DifferenceBounds {
        let root = try compute(original: f, compressed: g, over: box, margins: margins)
        var leaves = [(box: box, bounds: root)]
        for _ in 0..<max(0, splits) {
            guard let k = leaves.indices.max(by: { leaves[$0].bounds.worst < leaves[$1].bounds.worst }),
                  leaves[k].bounds.worst > 0,
                  let d = widestCoordinate(of: leaves[k].box, relativeTo: box)
            else { break }
            let (left, right) = leaves[k].box.bisected(along: d)
            let a = try compute(original: f, compressed: g, over: left, margins: margins)
            let b = try compute(original: f, compressed: g, over: right, margins: margins)
            leaves[k] = (left, a)
            leaves.append((right, b))
        }
        var result = root
        for i in result.lower.indices {
            result.lower[i] = max(root.lower[i], leaves.map { $0.bounds.lower[i] }.min() ?? root.lower[i])
            result.upper[i] = min(root.upper[i], leaves.map { $0.bounds.upper[i] }.max() ?? root.upper[i])
        }
        return result
    }

    /// The largest `max |g − f|` bound over the outputs (NaN-free: bounds are never NaN).
    var worst: Double { maxAbsolute.max() ?? 0 }

    /// The coordinate of largest `width / rootWidth` among those of positive width; nil when the box is a point.
    private static func widestCoordinate(of leaf: Box, relativeTo root: Box) -> Int? {
        var best: Int?, bestRatio = 0.0
        for j in 0..<leaf.dimension where root.upper[j] > root.lower[j] {
            let ratio = (leaf.upper[j] - leaf.lower[j]) / (root.upper[j] - root.lower[j])
            if ratio > bestRatio { best = j; bestRatio = ratio }
        }
        return best
    }
}
