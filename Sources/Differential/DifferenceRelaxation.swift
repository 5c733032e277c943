import Bounds
import Tensor

/// A line `p·z_f + q·δ + r` in the two quantities of one neuron: the original network's pre-activation `z_f`
/// and the difference `δ = z_g − z_f`.
struct DifferenceLine: Sendable, Hashable {
    var p: Double
    var q: Double
    var r: Double

    /// The line's value at `(z, d)`.
    func value(_ z: Double, _ d: Double) -> Double { p * z + q * d + r }
}

/// The linear relaxation of a ReLU layer's difference `δ' = relu(z_g) − relu(z_f)` (NeuroDiff, Paulsen, Wang,
/// Wang & Wang, ASE 2020), per neuron a lower and an upper ``DifferenceLine`` valid for every
/// `z_f ∈ [l_f, u_f]`, `z_g ∈ [l_g, u_g]`, `δ = z_g − z_f ∈ [d_l, d_u]`.
///
/// Candidates (each sound on its own; per neuron the one of largest value at the box centre is kept below, the
/// smallest above — the one enclosing least area, as CROWN's adaptive slope does):
/// - **Decomposition.** `δ' = relu(z_g) − relu(z_f)`, so `δ' ≥ low_g(z_g) − up_f(z_f)` and
///   `δ' ≤ up_g(z_g) − low_f(z_f)` for any lines `low ≤ relu ≤ up` on the two intervals, with `z_g = z_f + δ`.
///   The lines are CROWN's (``Relaxation/relu(over:margins:)``): exact on a proven active (`z`) or inactive
///   (`0`) neuron, so every stable/stable sign case is exact (both active `δ`, both inactive `0`, f inactive
///   and g active `z_f + δ`, f active and g inactive `−z_f`); on an unstable neuron the chord
///   `s·(z − l)` (lifted for rounding) above and `α·z`, `α ∈ {0, 1}`, below (both slopes are candidates).
///   One stable, one unstable is thus e.g. `δ' = relu(z_f + δ) − z_f ≥ δ` and `≥ −z_f` (f active).
/// - **Difference only.** For every `z`, `relu(z + δ) − relu(z)` lies between `min(0, δ)` and `max(0, δ)`
///   (relu is monotone and 1-Lipschitz). On `[d_l, d_u]`: if `d_l ≥ 0`, `0 ≤ δ' ≤ δ`; if `d_u ≤ 0`,
///   `δ ≤ δ' ≤ 0`; else `max(0, δ)` (convex) lies below its chord `d_u·(δ − d_l)/(d_u − d_l)` and `min(0, δ)`
///   (concave) above its chord `−d_l·(δ − d_u)/(d_u − d_l)`; both chords are moved outward by the rounding
///   of their slope and intercept. This is the case that keeps both-unstable neurons tight when `δ` is small,
///   and with `δ ∈ [0, 0]` it gives exactly `0 ≤ δ' ≤ δ`.
/// - **Constant.** The interval rule's bounds (``ReLUDifference``).
///
/// A neuron with a non-finite bound gets the constant lines only. On a neuron whose phase a ReLU split decided
/// (in either network), only the lines free of `z_f` (`p = 0`: difference-only, the decomposition's when it is
/// one, constant) compete: there the exact decomposition lines of the mixed cases (`z_f + δ`, `−z_f`) would
/// carry the full range of `z_f` into the bound, while its split already confined `δ'` between `δ`-lines.
struct DifferenceRelaxation: Sendable {
    var lower: [DifferenceLine]
    var upper: [DifferenceLine]
    /// CROWN's relaxation of `relu(z_f)`, for `x_f' = relu(z_f)`.
    var original: Relaxation

    /// The relaxation of one layer from the intervals of `z_f`, `z_g` and `δ`; `decided` lists the neurons a
    /// ReLU split fixed in either network.
    init(inputF: Box, inputG: Box, delta: Box, margins: SoundnessMargins, decided: Set<Int> = []) {
        original = .relu(over: inputF, margins: margins)
        let compressed = Relaxation.relu(over: inputG, margins: margins)
        lower = []
        upper = []
        var unstable = (f: [Bool](repeating: false, count: delta.dimension), g: [Bool](repeating: false, count: delta.dimension))
        for j in original.freeSlopes { unstable.f[j] = true }
        for j in compressed.freeSlopes { unstable.g[j] = true }
        for j in 0..<delta.dimension {
            let interval = ReLUDifference.neuron(
                delta: (delta.lower[j], delta.upper[j]), f: (inputF.lower[j], inputF.upper[j]),
                g: (inputG.lower[j], inputG.upper[j]), margins: margins)
            let constant = (DifferenceLine(p: 0, q: 0, r: interval.0), DifferenceLine(p: 0, q: 0, r: interval.1))
            let finite = [inputF.lower[j], inputF.upper[j], delta.lower[j], delta.upper[j], interval.0, interval.1]
                .allSatisfy(\.isFinite)
            guard finite else {
                lower.append(constant.0)
                upper.append(constant.1)
                continue
            }
            let z = (inputF.lower[j] + inputF.upper[j]) / 2, d = (delta.lower[j] + delta.upper[j]) / 2
            var cands = Self.candidates(j, original, compressed, unstable: (unstable.f[j], unstable.g[j]), delta, margins)
            if decided.contains(j) {
                cands.lower.removeAll { $0.p != 0 }
                cands.upper.removeAll { $0.p != 0 }
            }
            lower.append((cands.lower + [constant.0]).max { $0.value(z, d) < $1.value(z, d) }!)
            upper.append((cands.upper + [constant.1]).min { $0.value(z, d) < $1.value(z, d) }!)
        }
    }

    /// The decomposition and difference-only candidates of neuron `j`.
    private static func candidates(
        _ j: Int, _ f: Relaxation, _ g: Relaxation, unstable: (f: Bool, g: Bool), _ delta: Box,
        _ margins: SoundnessMargins
    ) -> (lower: [DifferenceLine], upper: [DifferenceLine]) {
        let alphasF = unstable.f ? [0.0, 1.0] : [f.lowerSlope[j]]
        let alphasG = unstable.g ? [0.0, 1.0] : [g.lowerSlope[j]]
        // low_g(z_f + δ) − up_f(z_f) and up_g(z_f + δ) − low_f(z_f).
        var lower = alphasG.map { a in
            DifferenceLine(p: a - f.upperSlope[j], q: a, r: -f.upperIntercept[j])
        }
        var upper = alphasF.map { a in
            DifferenceLine(p: g.upperSlope[j] - a, q: g.upperSlope[j], r: g.upperIntercept[j])
        }
        let dl = delta.lower[j], du = delta.upper[j]
        if dl >= 0 {
            lower.append(DifferenceLine(p: 0, q: 0, r: 0))
            upper.append(DifferenceLine(p: 0, q: 1, r: 0))
        } else if du <= 0 {
            lower.append(DifferenceLine(p: 0, q: 1, r: 0))
            upper.append(DifferenceLine(p: 0, q: 0, r: 0))
        } else {
            let s = du / (du - dl), t = -dl / (du - dl)
            let pad = { (slope: Double) in margins.widening(slope * (abs(dl) + du)) }
            upper.append(DifferenceLine(p: 0, q: s, r: -s * dl + pad(s)))
            lower.append(DifferenceLine(p: 0, q: t, r: -t * du - pad(t)))
        }
        return (lower, upper)
    }
}
