import Tensor

/// The closed-form compositional bound ECLipsE-Fast (Xu & Sivaranjani, NeurIPS 2024) as a LipSDP-Layer point.
///
/// With ρ = 1 and S_0 = I, each layer takes t_i = 1/λ_max(P_i), P_i = W_{i−1} S_{i−1}⁻¹ W_{i−1}ᵀ, and
/// S_i = 2t_i I − t_i² P_i (the Schur complement of the LMI eliminated from the input side, kept ⪰ t_i I);
/// then ρ = λ_max(W_K S_K⁻¹ W_Kᵀ). The point (ρ, ρ·t) is feasible for M(ρ,T) ⪯ 0 in exact arithmetic, and is
/// certified like every other point. Complexity O(Σ n_i³).
enum CompositionalBound {
    /// The recursion's state after every prefix of the network, from one pass: the recursion of the first
    /// `h + 1` matrices is the first `h` steps of the whole one, so the prefix bounds of ``PrefixRedundancy``
    /// and the compositional point share it instead of repeating it per prefix.
    struct Prefixes {
        /// t_1 … t_K (for ρ = 1); the prefix of the first `h + 1` matrices uses the first `h`.
        var ts: [Double]
        /// `quadratics[h]` = W_h S_h⁻¹ W_hᵀ, the quadratic after matrix `h` (`quadratics[0]` = W_0 W_0ᵀ), whose
        /// diagonal bounds |Δv_k|²/‖Δx‖² row by row in exact arithmetic for that prefix's outputs v.
        var quadratics: [Matrix]

        /// The recursion over `w`; nil when it breaks down or `deadline` passes first.
        init?(_ w: [Matrix], seed: UInt64, deadline: Deadline = .never) {
            var quadratic = w[0].multiplied(byTransposeOf: w[0])  // P_1 = W_0 W_0ᵀ
            ts = []
            quadratics = [quadratic]
            for i in 1..<w.count {
                let n = quadratic.rows
                if deadline.hasPassed { return nil }
                let lambda = SpectralNormBound.topEigenvalue(of: quadratic, seed: seed, deadline: deadline)
                let t = lambda > 0 ? 1 / lambda : 1
                var s = Matrix(rows: n, columns: n)
                for j in s.storage.indices { s.storage[j] = -t * t * quadratic.storage[j] }
                for j in 0..<n { s[j, j] += 2 * t }
                guard let factor = DenseCholesky(s, deadline: deadline),
                      let next = factor.inverseQuadraticForm(w[i].transposed, deadline: deadline)
                else { return nil }
                ts.append(t)
                quadratic = next
                quadratics.append(next)
            }
        }

        /// The point (ρ estimate and per-layer multipliers, already scaled by ρ) of the first `layers` matrices, the
        /// last one's rows scaled by `rowScales` (powers of two, so D·Q·D is what the recursion on the scaled matrix
        /// computes).
        func point(layers: Int, rowScales: [Double]? = nil, seed: UInt64) -> (rho: Double, layerT: [Double]) {
            var quadratic = quadratics[layers - 1]
            if let d = rowScales {
                let n = quadratic.rows
                for r in 0..<n { for c in 0..<n { quadratic.storage[r * n + c] *= d[r] * d[c] } }
            }
            let rho = SpectralNormBound.topEigenvalue(of: quadratic, seed: seed)
            return (rho, ts[0..<(layers - 1)].map { $0 * rho })
        }
    }
}
