import Foundation
import Network
import Tensor

/// Bound rules of the S-shaped activations sigmoid and tanh.
///
/// Relaxation: two lines parallel to the chord of `f` over `[l, u]` (slope `k = (f(u) − f(l))/(u − l)`), shifted
/// to the minimum and maximum of `h(x) = f(x) − kx` over `[l, u]`. `h` is smooth with `h' = f' − k`, and `f'` is
/// even and unimodal, so the extremes lie among `l`, `u` and the (at most two) points where `f'(x) = k`.
/// Degenerate or unbounded intervals use constant bounds `f(l) ≤ y ≤ f(u)`.
struct SmoothActivationBoundRule: NonlinearBoundRule {
    let kind: SmoothActivation
    let count: Int

    /// Widening of function values for the rounding of `exp`/`tanh` (a few ulps of values of magnitude ≤ 1).
    static let functionTolerance = 1e-14
    /// Extra widening of the parallel lines for the inexact stationary points of `h` (second-order effect).
    static let stationaryPointTolerance = 1e-10
    /// Intervals narrower than this use constant bounds.
    static let minimumWidth = 1e-9

    func value(_ x: Double) -> Double { kind.value(x) }

    /// The points `x ≥ 0` and `−x` where `f'(x) = k`, for `0 < k < max f'`.
    func stationaryPoints(slope k: Double) -> [Double] {
        let x: Double
        switch kind {
        case .sigmoid:
            let s = (1 + Swift.max(0, 1 - 4 * k).squareRoot()) / 2
            x = log(s / (1 - s))
        case .tanh:
            x = atanh(Swift.max(0, 1 - k).squareRoot())
        }
        return x.isFinite ? [x, -x] : []
    }

    func interval(_ input: Box, margins: SoundnessMargins) -> Box {
        Box(lower: input.lower.map { value($0) - Self.functionTolerance },
            upper: input.upper.map { value($0) + Self.functionTolerance })
    }

    func relaxation(for input: Box, margins: SoundnessMargins) -> Relaxation {
        var slope = [Double](repeating: 0, count: count)
        var lowerIntercept = slope
        var upperIntercept = slope
        for j in 0..<count {
            let l = input.lower[j], u = input.upper[j]
            let fl = value(l), fu = value(u)
            guard l.isFinite, u.isFinite, u - l > Self.minimumWidth else {
                lowerIntercept[j] = fl - Self.functionTolerance
                upperIntercept[j] = fu + Self.functionTolerance
                continue
            }
            let k = (fu - fl) / (u - l)
            var lo = fl - k * l, hi = lo
            var magnitude = Swift.abs(k * l) + 1
            for x in [u] + stationaryPoints(slope: k) where x >= l && x <= u {
                let h = value(x) - k * x
                lo = Swift.min(lo, h)
                hi = Swift.max(hi, h)
                magnitude = Swift.max(magnitude, Swift.abs(k * x) + 1)
            }
            let widen = margins.widening(magnitude) + Self.functionTolerance + Self.stationaryPointTolerance
            slope[j] = k
            lowerIntercept[j] = lo - widen
            upperIntercept[j] = hi + widen
        }
        return Relaxation(lowerSlope: slope, lowerIntercept: lowerIntercept, upperSlope: slope,
                          upperIntercept: upperIntercept)
    }
}
