public import Tensor

/// Bound rules of ReLU (the triangle relaxation of Ehlers 2017 / CROWN).
///
/// For an unstable neuron (`l < 0 < u`): upper chord `y ≤ u/(u−l)·(x − l)`, lower `y ≥ α x` with `α ∈ [0, 1]`,
/// by default the adaptive choice `α = 1` if `u ≥ −l` else `0` (CROWN-Ada). Stable neurons are exact.
/// Split decisions are applied to the input bounds before this rule sees them.
///
/// A NaN bound is read as "unknown" — the infinite bound on its side — before anything else, so a neuron counts
/// as active only when `l ≥ 0` and as inactive only when `u ≤ 0` is actually known; a NaN never falls through
/// to "dead" and gets the loosest sound relaxation instead (an infinite intercept, which turns every bound that
/// depends on it into −∞/+∞).
struct ReLUBoundRule: NonlinearBoundRule {
    let count: Int

    func interval(_ input: Box, margins: SoundnessMargins) -> Box {
        let input = BoundPropagator.sanitized(input)
        return Box(lower: input.lower.map { Swift.max($0, 0) }, upper: input.upper.map { Swift.max($0, 0) })
    }

    func relaxation(for input: Box, margins: SoundnessMargins) -> Relaxation {
        let input = BoundPropagator.sanitized(input)
        var ls = [Double](repeating: 0, count: count)
        var us = ls
        var ui = ls
        var free: [Int] = []
        for j in 0..<count {
            let l = input.lower[j], u = input.upper[j]
            if l >= 0 {  // proven active
                ls[j] = 1
                us[j] = 1
            } else if u <= 0 {  // proven inactive: relu(x) = 0 on [l, u]
                continue
            } else if !(l.isFinite && u.isFinite) {
                // Unbounded side: relu(x) ≤ x − l (l finite) or ≤ u (u finite, possibly +∞: no finite line).
                if l.isFinite { us[j] = 1; ui[j] = -l } else { ui[j] = u }
                free.append(j)
            } else {
                let s = u / (u - l)
                us[j] = s
                // The chord through (l, 0) and (u, u), lifted to cover the rounding of s and −s·l.
                ui[j] = -s * l + margins.widening(s * (Swift.abs(l) + u))
                ls[j] = u >= -l ? 1 : 0
                free.append(j)
            }
        }
        let zero = [Double](repeating: 0, count: count)
        return Relaxation(lowerSlope: ls, lowerIntercept: zero, upperSlope: us, upperIntercept: ui, freeSlopes: free)
    }
}

extension Relaxation {
    /// The CROWN relaxation of ReLU over the pre-activation box `input` (the rule every bound propagation
    /// uses): slopes 1/0 on proven active/inactive neurons, the lifted chord above and the adaptive slope below
    /// on unstable ones. For other modules that relax a ReLU themselves (`Differential`).
    public static func relu(over input: Box, margins: SoundnessMargins) -> Relaxation {
        ReLUBoundRule(count: input.dimension).relaxation(for: input, margins: margins)
    }
}
