import Foundation
import Tensor

/// Tighter redundant-constraint weights w (see ``LipschitzLMI``) from certified bounds of network prefixes.
///
/// The norm-product weights w_k = ‖W_{i−1}[k,:]‖²·Π_{j<i−1}‖W_j‖² grow with depth, and with them the
/// exact-penalty constant c = 1 + Σw, which stalls the first-order solver on deep networks. Here, for hidden
/// layer i ≥ 2, the prefix network x ↦ v_i = W_{i−1} z_{i−1} gets row scalings s_k (powers of two, so the
/// scaled matrix is exact) from the diagonal of the ECLipsE-Fast quadratic W_{i−1} S⁻¹ W_{i−1}ᵀ (a row-wise
/// bound in exact arithmetic), and the scaled prefix diag(s)·v_i is certified compositionally (block Cholesky,
/// as every other point): ‖diag(s)Δv_i‖² ≤ ρ_i‖Δx‖², hence |Δz_k|² ≤ β_k²|Δv_k|² ≤ β_k² ρ_i / s_k² · ‖Δx‖².
/// Complexity: the whole network's compositional recursion (shared, ``CompositionalBound/Prefixes``) and one
/// certification per hidden layer, O(K · Σ n_i³) for the certifications.
enum PrefixRedundancy {
    /// Rounding factor for the products β²·ρ/s² (one multiplication with rounding, s² exact).
    static let roundingFactor = 1 + 8 * Rounding.unit

    /// Weights per hidden neuron, or `+∞` where no prefix bound was certified (the caller takes the minimum
    /// with the norm-product weights). `folded` are the slope-folded matrices, `beta` the upper slopes,
    /// `prefixes` the compositional recursion over `folded`. Prefixes not reached before `deadline` keep `+∞`.
    static func weights(
        folded: [Matrix], norms: [Double], beta: [[Double]], prefixes: CompositionalBound.Prefixes, seed: UInt64,
        deadline: Deadline = .never
    ) -> [[Double]] {
        var out = beta.map { $0.map { _ in Double.infinity } }
        guard beta.count >= 2 else { return out }
        for h in 1..<beta.count where !deadline.hasPassed {
            let quadratic = prefixes.quadratics[h]
            var scaled = folded[h]
            var scales = [Double](repeating: 1, count: scaled.rows)
            for k in 0..<scaled.rows {
                let d = quadratic[k, k]
                guard d > 0, d.isFinite else { continue }
                scales[k] = pow(2, (-0.5 * log2(d)).rounded())
                for c in 0..<scaled.columns { scaled[k, c] *= scales[k] }
            }
            let matrices = Array(folded[0..<h]) + [scaled]
            let (rho0, layerT) = prefixes.point(layers: h + 1, rowScales: scales, seed: seed)
            let chain = SlopeChain(operators: matrices.map { AffineOperator(dense: $0) },
                                   alpha: beta[0..<h].map { $0.map { _ in 0 } },
                                   beta: beta[0..<h].map { $0.map { _ in 1 } })
            let prefixNorms = Array(norms[0..<h]) + [SpectralNormBound.upperBound(scaled, seed: seed, deadline: deadline)]
            let lmi = LipschitzLMI(chain: chain, matrices: matrices, normBounds: prefixNorms)
            let t = zip(layerT, chain.alpha).map { t, a in a.map { _ in t } }
            guard let point = lmi.polish(t: t, tau: chain.alpha, rhoHint: rho0 * 1.01, seed: seed, deadline: deadline)
            else { continue }
            for k in 0..<scaled.rows {
                out[h][k] = beta[h][k] * beta[h][k] * (point.rho / (scales[k] * scales[k])) * roundingFactor
            }
        }
        return out
    }
}
