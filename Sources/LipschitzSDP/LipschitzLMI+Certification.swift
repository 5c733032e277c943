import Tensor

/// A certified point of the LipSDP LMI: M(ρ,T,τ) ⪯ 0 was proved in floating point.
struct CertifiedPoint: Sendable {
    /// ρ = L².
    var rho: Double
    /// Neuron multipliers T.
    var t: [[Double]]
    /// Redundant multipliers τ.
    var tau: [[Double]]
    /// The diagonal shift c_fp of the rounding-safe Cholesky.
    var shift: Double
    /// The uncertified estimate wᵀτ + λ_max(G) the certified ρ was raised from.
    var estimate: Double
}

extension LipschitzLMI {
    /// Number of ρ increases tried before giving up on a polish.
    static let maximumRaises = 40
    /// First relative increase of ρ above the eigenvalue estimate; it grows ×4 per failed check.
    static let initialRaise = 1e-10
    /// Attempts of a polish (each failed hidden elimination raises τ uniformly ×10 more than the last).
    static let maximumPolishAttempts = 16

    /// Rounding-safe diagonal shifts, one per block (input, hidden 1 … K), for a check of −M(ρ,T,τ) ⪰ 0.
    ///
    /// Each block b is scaled by a power of two s_b chosen so that its mean diagonal is about 1. Such scaling is
    /// exact in floating point, so the Cholesky of S(−M)S − c·I performs exactly the operations of the Cholesky
    /// of −M − c·S⁻² (scaled); Higham's bound is applied to the scaled matrix, c = γ/(1−γ)·tr(S|−M|S) + scaled
    /// formation error, and block b is shifted by c / s_b². Without the scaling one shift sized by the largest
    /// block would swamp blocks many orders of magnitude smaller (deep networks with large weights, ACAS Xu).
    func certificationShifts(rho: Double, t: [[Double]], tau: [[Double]]) -> [Double] {
        let load = redundantLoad(tau)
        let k = hiddenCount
        var trace = [Double](repeating: 0, count: k + 1)
        var formation = trace
        var couplingError = [Double](repeating: 0, count: k)  // between block b and b + 1
        var maxAT = [Double](repeating: 0, count: k), maxST = maxAT, maxDiag = maxAT
        for h in 0..<k {
            for j in t[h].indices {
                maxAT[h] = max(maxAT[h], product[h][j] * t[h][j])
                maxST[h] = max(maxST[h], sum[h][j] * t[h][j])
                maxDiag[h] = max(maxDiag[h], 2 * t[h][j] + tau[h][j])
                trace[h + 1] += 2 * t[h][j] + tau[h][j]
            }
            couplingError[h] = 2 * maxST[h] * frobenius[h]
        }
        let curvature0 = k > 0 ? 2 * maxAT[0] * frobenius[0] * frobenius[0] : 0
        trace[0] = Double(widths[0]) * abs(rho - load) + curvature0
        formation[0] = abs(rho) + abs(load) + curvature0
        for h in 0..<k {
            let next = h < k - 1 ? 2 * maxAT[h + 1] * frobenius[h + 1] * frobenius[h + 1]
                : frobenius[k] * frobenius[k]
            trace[h + 1] += next
            formation[h + 1] = maxDiag[h] + next
        }
        let scales = (0...k).map { b -> Double in
            let mean = trace[b] / Double(max(widths[b], 1))
            guard mean > 0, mean.isFinite else { return 1 }
            return Double(sign: .plus, exponent: -(mean.exponent / 2), significand: 1)
        }
        var scaledTrace = 0.0, scaledFormation = 0.0
        for b in 0...k {
            scaledTrace += scales[b] * scales[b] * trace[b]
            scaledFormation += scales[b] * scales[b] * formation[b]
            if b < k { scaledFormation += 2 * scales[b] * scales[b + 1] * couplingError[b] }
        }
        let inner = (widths.max() ?? 1) + 2
        let c = Rounding.choleskyShift(
            dimension: dimension, absoluteTrace: scaledTrace, formationError: 4 * Rounding.gamma(inner) * scaledFormation)
        return scales.map { c / ($0 * $0) }
    }

    /// Eliminates the hidden blocks K … 1 of −M − shift·I (block Cholesky from the output side). Returns
    /// G with S_0 = (ρ − wᵀτ − shift)·I − G, or nil when a hidden pivot fails (the hidden block is not ≺ 0).
    func eliminateHidden(t: [[Double]], tau: [[Double]], shifts: [Double], deadline: Deadline = .never) -> Matrix? {
        var factor: DenseCholesky?
        for h in stride(from: hiddenCount - 1, through: 0, by: -1) {
            let n = widths[h + 1]
            var d: Matrix
            if h == hiddenCount - 1 {
                d = Matrix(rows: n, columns: n)
                matrices[h + 1].subtractGram(fromLowerTriangleOf: &d)  // −W_KᵀW_K, lower triangle
            } else {
                d = curvature(layer: h + 1, t: t) ?? Matrix(rows: n, columns: n)
            }
            for j in 0..<n { d[j, j] += 2 * t[h][j] + tau[h][j] - shifts[h + 1] }
            if let below = factor {
                guard let y = below.solveLower(coupling(layer: h + 1, t: t), deadline: deadline) else { return nil }
                y.subtractGram(fromLowerTriangleOf: &d)  // only the lower triangle is factored
            }
            guard let f = DenseCholesky(d, deadline: deadline) else { return nil }
            factor = f
        }
        var g = Matrix(rows: widths[0], columns: widths[0])
        if let first = factor {
            guard let y = first.solveLower(coupling(layer: 0, t: t), deadline: deadline) else { return nil }
            g = y.gram()
        }
        if let c = curvature(layer: 0, t: t) { g = subtract(g, c) }
        return g
    }

    /// The rigorous check: true when the floating-point block Cholesky of −M(ρ,T,τ) − c_fp·I completes, which
    /// proves M(ρ,T,τ) ⪯ 0. It fails for infeasible points.
    func certify(rho: Double, t: [[Double]], tau: [[Double]]) -> Bool {
        guard t.allSatisfy({ $0.allSatisfy { $0 >= 0 } }), tau.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            return false
        }
        let shifts = certificationShifts(rho: rho, t: t, tau: tau)
        guard let g = eliminateHidden(t: t, tau: tau, shifts: shifts) else { return false }
        return inputBlockPasses(g: g, diagonal: rho - redundantLoad(tau) - shifts[0])
    }

    /// Polish and certify (§3.4): the smallest ρ (up to the raise schedule) certified for fixed (T, τ). When the
    /// hidden block is not ≺ 0, τ is raised uniformly first (always valid). `rhoHint` should over-estimate ρ.
    /// Nil when nothing is certified before `deadline`.
    func polish(
        t: [[Double]], tau initialTau: [[Double]], rhoHint: Double, seed: UInt64 = 0, deadline: Deadline = .never
    ) -> CertifiedPoint? {
        var tau = initialTau
        var hint = max(rhoHint, Double.leastNormalMagnitude)
        let scale = max(t.flatMap { $0 }.max() ?? 1, 1e-12)
        var bump = scale * 1e-6
        for _ in 0..<Self.maximumPolishAttempts {
            if deadline.hasPassed { return nil }
            let shifts = certificationShifts(rho: 4 * hint, t: t, tau: tau)
            let shift = shifts[0]
            guard let g = eliminateHidden(t: t, tau: tau, shifts: shifts, deadline: deadline) else {
                if deadline.hasPassed { return nil }
                tau = tau.map { $0.map { $0 + bump } }
                bump *= 10
                continue
            }
            let load = redundantLoad(tau)
            let lambda = SpectralNormBound.topEigenvalue(of: g, seed: seed, deadline: deadline)
            var rho = load + shift + lambda
            var step = Self.initialRaise * max(abs(lambda), abs(rho), Double.leastNormalMagnitude)
            for _ in 0..<Self.maximumRaises {
                if inputBlockPasses(g: g, diagonal: rho - load - shift, deadline: deadline) { break }
                if deadline.hasPassed { return nil }
                rho += step
                step *= 4
            }
            if rho > 4 * hint {
                hint = rho
                continue
            }
            guard inputBlockPasses(g: g, diagonal: rho - load - shift, deadline: deadline) else { return nil }
            return CertifiedPoint(rho: rho, t: t, tau: tau, shift: shift, estimate: load + lambda)
        }
        return nil
    }

    private func inputBlockPasses(g: Matrix, diagonal: Double, deadline: Deadline = .never) -> Bool {
        var s = g
        let n = s.rows
        for i in s.storage.indices { s.storage[i] = -s.storage[i] }
        for i in 0..<n { s[i, i] += diagonal }
        return DenseCholesky(s, deadline: deadline) != nil
    }

    /// 2 W_iᵀ diag(αβ t) W_i for the operator entering hidden layer `layer`, nil when αβ t = 0.
    func curvature(layer: Int, t: [[Double]]) -> Matrix? {
        let a = product[layer]
        guard a.contains(where: { $0 != 0 }) else { return nil }
        var z = matrices[layer]
        for r in 0..<z.rows {
            let f = (2 * a[r] * t[layer][r]).squareRoot()
            for c in 0..<z.columns { z[r, c] *= f }
        }
        return z.gram()
    }

    /// diag((α+β) t) W_i for the operator entering hidden layer `layer` (the coupling block, up to sign).
    func coupling(layer: Int, t: [[Double]]) -> Matrix {
        var z = matrices[layer]
        for r in 0..<z.rows {
            let f = sum[layer][r] * t[layer][r]
            for c in 0..<z.columns { z[r, c] *= f }
        }
        return z
    }

    private func subtract(_ a: Matrix, _ b: Matrix) -> Matrix {
        var out = a
        for i in out.storage.indices { out.storage[i] -= b.storage[i] }
        return out
    }
}
