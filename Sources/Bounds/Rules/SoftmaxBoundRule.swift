import Network
import Tensor

/// Bound rules of softmax, from ``Softmax``'s identity `softmax_i(x) = σ(x_i − log Σ_{j≠i} e^{x_j})`.
///
/// Over a box, the other elements' sum lies between its values at their lower and upper bounds, so
/// `σ(x_i − a_i) ≤ softmax_i(x) ≤ σ(x_i − b_i)` with `a_i = log Σ_{j≠i} e^{u_j}` and `b_i = log Σ_{j≠i} e^{l_j}`:
/// two sigmoids of `x_i` alone. Interval: the lower sigmoid at `l_i`, the upper at `u_i` (exact per element for
/// the box). Relaxation: the lower line of the sigmoid rule for the first and the upper line for the second, each
/// over `x_i ∈ [l_i, u_i]` (or the interval's constant where that is better at the interval's middle), so an
/// output depends on its own logit only (an elementwise relaxation). `a_i` is rounded up and `b_i` down, which
/// keeps each sigmoid on its side.
struct SoftmaxBoundRule: NonlinearBoundRule {
    let softmax: Softmax
    let count: Int

    private var sigmoid: SmoothActivationBoundRule { SmoothActivationBoundRule(kind: .sigmoid, count: 1) }

    /// `log Σ_{j≠i} e^{v_j}`, moved outward by a relative `1e-12` for the rounding of `exp` and `log`
    /// (`upward`: for the lower sigmoid's shift).
    private func shift(_ i: Int, _ v: [Double], upward: Bool) -> Double {
        let s = softmax.logOthers(of: i, in: v)
        guard s.isFinite else { return s }
        let widen = 1e-12 * (Swift.abs(s) + 1)
        return upward ? s + widen : s - widen
    }

    func interval(_ input: Box, margins: SoundnessMargins) -> Box {
        var lower = [Double](repeating: 0, count: count)
        var upper = [Double](repeating: 1, count: count)
        for i in 0..<count {
            let a = shift(i, input.upper, upward: true), b = shift(i, input.lower, upward: false)
            if let t = Self.argument(input.lower[i], minus: a) {
                lower[i] = Swift.max(0, sigmoid.value(t) - SmoothActivationBoundRule.functionTolerance)
            }
            if let t = Self.argument(input.upper[i], minus: b) {
                upper[i] = Swift.min(1, sigmoid.value(t) + SmoothActivationBoundRule.functionTolerance)
            }
        }
        return Box(lower: lower, upper: upper)
    }

    /// `x − s` when it is a number (nil for `+∞ − +∞` and the like: the caller keeps the trivial bound).
    private static func argument(_ x: Double, minus s: Double) -> Double? {
        let t = x - s
        return t.isNaN ? nil : t
    }

    func relaxation(for input: Box, margins: SoundnessMargins) -> Relaxation {
        var lowerSlope = [Double](repeating: 0, count: count), lowerIntercept = lowerSlope
        var upperSlope = lowerSlope, upperIntercept = [Double](repeating: 1, count: count)
        for i in 0..<count {
            let l = input.lower[i], u = input.upper[i]
            if softmax.size == 1 { lowerIntercept[i] = 1 - SmoothActivationBoundRule.functionTolerance }
            if let line = line(over: l, u, shift: shift(i, input.upper, upward: true), lower: true, margins: margins) {
                (lowerSlope[i], lowerIntercept[i]) = line
            }
            if let line = line(over: l, u, shift: shift(i, input.lower, upward: false), lower: false, margins: margins) {
                (upperSlope[i], upperIntercept[i]) = line
            }
        }
        return Relaxation(lowerSlope: lowerSlope, lowerIntercept: lowerIntercept, upperSlope: upperSlope,
                          upperIntercept: upperIntercept)
    }

    /// The lower (or upper) line `k·x + c` of `σ(x − s)` over `x ∈ [l, u]`, nil when `s` or the interval is not
    /// finite (the caller keeps the constant bound 0 or 1). The sigmoid rule's line over `[l − s, u − s]` (widened
    /// by an ulp-sized margin for the subtraction) moved back by `s`, with the rounding of `c − k·s` widened too.
    private func line(
        over l: Double, _ u: Double, shift s: Double, lower: Bool, margins: SoundnessMargins
    ) -> (slope: Double, intercept: Double)? {
        guard s.isFinite, l.isFinite, u.isFinite else { return nil }
        let pad = margins.widening(Swift.abs(l) + Swift.abs(u) + Swift.abs(s))
        let r = sigmoid.relaxation(for: Box(lower: [l - s - pad], upper: [u - s + pad]), margins: margins)
        let k = lower ? r.lowerSlope[0] : r.upperSlope[0]
        let c = lower ? r.lowerIntercept[0] : r.upperIntercept[0]
        let intercept = c - k * s
        let widen = margins.widening(Swift.abs(c) + Swift.abs(k * s))
        let line = (slope: k, intercept: lower ? intercept - widen : intercept + widen)
        // The constant bound σ(l − s) (lower) or σ(u − s) (upper) where it is better on average over [l, u]: on a
        // wide interval the line parallel to the chord leaves [0, 1] at one end.
        let constant = lower
            ? sigmoid.value(l - s) - SmoothActivationBoundRule.functionTolerance
            : sigmoid.value(u - s) + SmoothActivationBoundRule.functionTolerance
        let middle = line.slope * (l / 2 + u / 2) + line.intercept
        return (lower ? constant > middle : constant < middle) ? (0, constant) : line
    }
}
