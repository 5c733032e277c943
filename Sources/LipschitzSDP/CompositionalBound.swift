import Tensor

/// The closed-form compositional bound ECLipsE-Fast (Xu & Sivaranjani, NeurIPS 2024) as a LipSDP-Layer point.
///
/// With ρ = 1 and S_0 = I, each layer takes t_i = 1/λ_max(P_i), P_i = W_{i−1} S_{i−1}⁻¹ W_{i−1}ᵀ, and
/// S_i = 2t_i I − t_i² P_i (the Schur complement of the LMI eliminated from the input side, kept ⪰ t_i I);
/// then ρ = λ_max(W_K S_K⁻¹ W_Kᵀ). The point (ρ, ρ·t) is feasible for M(ρ,T) ⪯ 0 in exact arithmetic, and is
/// certified like every other point. Complexity O(Σ n_i³).
enum CompositionalBound {
    /// ρ estimate and per-layer multipliers (already scaled by ρ) for the matrices `w` (activations in [0,1]);
    /// nil when the recursion breaks down or `deadline` passes first.
    static func point(_ w: [Matrix], seed: UInt64, deadline: Deadline = .never) -> (rho: Double, layerT: [Double])? {
        guard let (ts, quadratic) = recursion(w, seed: seed, deadline: deadline) else { return nil }
        let rho = SpectralNormBound.topEigenvalue(of: quadratic, seed: seed)
        return (rho, ts.map { $0 * rho })
    }

    /// The recursion itself: the per-layer t_i (for ρ = 1) and the final quadratic W_K S_K⁻¹ W_Kᵀ, whose
    /// diagonal bounds |Δy_k|²/‖Δx‖² row by row in exact arithmetic.
    static func recursion(_ w: [Matrix], seed: UInt64, deadline: Deadline = .never)
        -> (ts: [Double], quadratic: Matrix)?
    {
        var quadratic = w[0].multiplied(byTransposeOf: w[0])  // P_1 = W_0 W_0ᵀ
        var ts: [Double] = []
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
        }
        return (ts, quadratic)
    }
}
