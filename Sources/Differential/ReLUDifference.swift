import Tensor

/// The difference rule of ReLU (ReluDiff, Paulsen, Wang & Wang, ICSE 2020, interval version): bounds of
/// `δ' = relu(z_g) − relu(z_f)` from intervals `z_f ∈ [l_f, u_f]`, `z_g ∈ [l_g, u_g]`, `δ = z_g − z_f ∈ [d_l, d_u]`.
///
/// Every enclosure below is sound on its own; the result is their intersection.
/// - **Always** (relu is monotone and 1-Lipschitz, so `relu(z + δ) − relu(z)` lies between 0 and `δ`):
///   `[min(0, d_l), max(0, d_u)]`.
/// - **Always** (each relu separately): `[relu(l_g) − relu(u_f), relu(u_g) − relu(l_f)]`, widened for rounding.
/// - Both active (`l_f ≥ 0`, `l_g ≥ 0`): `δ' = δ`, so `[d_l, d_u]`.
/// - Both inactive (`u_f ≤ 0`, `u_g ≤ 0`): `[0, 0]`.
/// - f inactive, g active: `δ' = z_g = z_f + δ ≤ δ`, so `[l_g, min(u_g, d_u)]`.
/// - f inactive, g unstable: `δ' = relu(z_g) ≤ relu(δ)`, so `[0, max(0, min(u_g, d_u))]`.
/// - f active, g inactive: `δ' = −z_f = δ − z_g ≥ δ`, so `[max(−u_f, d_l), −l_f]`.
/// - f active, g unstable: `δ' = relu(z_g) − z_f ≥ z_g − z_f = δ` and `≥ −z_f`; so `δ' ≥ max(d_l, −u_f)`.
/// - f unstable, g active: `δ' = z_g − relu(z_f) ≤ z_g − z_f = δ` and `≤ z_g`; so `δ' ≤ min(d_u, u_g)`.
/// - f unstable, g inactive: `δ' = −relu(z_f) ≤ 0`, so `[−max(0, u_f), 0]`.
/// Only the second enclosure does arithmetic that rounds (a subtraction); the others negate, take minima and
/// maxima, so `δ = [0, 0]` stays exactly `[0, 0]`.
enum ReLUDifference {
    /// `δ'` per neuron.
    static func apply(delta: Box, inputF: Box, inputG: Box, margins: SoundnessMargins) -> Box {
        var result = delta
        for i in 0..<delta.dimension {
            let d = (delta.lower[i], delta.upper[i])
            let f = (unbounded(inputF.lower[i], -1), unbounded(inputF.upper[i], 1))
            let g = (unbounded(inputG.lower[i], -1), unbounded(inputG.upper[i], 1))
            (result.lower[i], result.upper[i]) = neuron(delta: d, f: f, g: g, margins: margins)
        }
        return result
    }

    /// A NaN bound read as the infinite one on its side.
    private static func unbounded(_ x: Double, _ side: Double) -> Double { x.isNaN ? side * .infinity : x }

    /// The intersection of the enclosures above for one neuron.
    static func neuron(
        delta d: (Double, Double), f: (Double, Double), g: (Double, Double), margins: SoundnessMargins
    ) -> (Double, Double) {
        var lo = min(0, d.0), hi = max(0, d.1)
        let trivialLower = max(0, g.0) - max(0, f.1), trivialUpper = max(0, g.1) - max(0, f.0)
        lo = max(lo, trivialLower - margins.widening(abs(max(0, g.0)) + abs(max(0, f.1))))
        hi = min(hi, trivialUpper + margins.widening(abs(max(0, g.1)) + abs(max(0, f.0))))
        let fActive = f.0 >= 0, fInactive = f.1 <= 0, gActive = g.0 >= 0, gInactive = g.1 <= 0
        switch (fActive, fInactive, gActive, gInactive) {
        case (true, _, true, _): lo = max(lo, d.0); hi = min(hi, d.1)
        case (_, true, _, true): return (0, 0)
        case (_, true, true, _): lo = max(lo, g.0); hi = min(hi, g.1, d.1)
        case (_, true, false, false): lo = max(lo, 0); hi = min(hi, max(0, min(g.1, d.1)))
        case (true, _, _, true): lo = max(lo, -f.1, d.0); hi = min(hi, -f.0)
        case (true, _, false, false): lo = max(lo, d.0, -f.1)
        case (false, false, true, _): hi = min(hi, d.1, g.1)
        case (false, false, _, true): lo = max(lo, -max(0, f.1)); hi = min(hi, 0)
        default: break
        }
        return (lo, hi)
    }
}
