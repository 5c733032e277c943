import Tensor

/// Rigorous upper bounds on the spectral norm ‖W‖₂.
///
/// Power iteration (or Lanczos) under-estimates ‖W‖₂, so the estimate σ̂ is certified: σ̂²(1+δ)·I − G ⪰ 0 is
/// proved for the smaller Gram matrix G (WWᵀ or WᵀW) by a floating-point Cholesky with the rounding shift of
/// ``Rounding/choleskyShift(dimension:absoluteTrace:formationError:)``, increasing δ until it passes.
enum SpectralNormBound {
    /// Relative slacks δ tried in turn.
    static let slacks: [Double] = [1e-9, 1e-7, 1e-5, 1e-3, 1e-1]

    /// A certified upper bound on ‖W‖₂ (falls back to min(‖W‖_F, √(‖W‖₁‖W‖_∞)) if no slack certifies, or once
    /// `deadline` has passed).
    static func upperBound(_ w: Matrix, seed: UInt64 = 0, deadline: Deadline = .never) -> Double {
        if w.rows == 0 || w.columns == 0 { return 0 }
        if deadline.hasPassed { return fallback(w) }
        let gram = w.rows <= w.columns ? w.multiplied(byTransposeOf: w) : w.gram()
        let n = gram.rows
        let inner = max(w.rows, w.columns)
        let frob2 = w.storage.reduce(0) { $0 + $1 * $1 }
        let estimate = topEigenvalue(of: gram, seed: seed, deadline: deadline)
        let formation = Rounding.gamma(inner + 2) * frob2
        for delta in slacks where !deadline.hasPassed {
            let s = max(estimate, 0) * (1 + delta) + formation * 4 + Double.leastNormalMagnitude
            var a = gram
            var trace = 0.0
            for i in 0..<n {
                for j in 0..<n { a[i, j] = -a[i, j] }
                a[i, i] += s
                trace += abs(a[i, i])
            }
            let shift = Rounding.choleskyShift(dimension: n, absoluteTrace: trace, formationError: formation)
            for i in 0..<n { a[i, i] -= shift }
            if DenseCholesky(a, deadline: deadline) != nil { return roundedUpSquareRoot(s) }
        }
        return fallback(w)
    }

    /// λ_max of a dense symmetric matrix (Jacobi for small sizes, Lanczos otherwise); an estimate, rougher when
    /// `deadline` passes (no restarts).
    static func topEigenvalue(of a: Matrix, seed: UInt64, deadline: Deadline = .never) -> Double {
        let n = a.rows
        if n <= 40 { return SymmetricEigen.jacobi(a).values.max() ?? 0 }
        let start = SymmetricEigen.randomVector(n, seed: seed)
        var (value, vector) = SymmetricEigen.lanczosTop(dimension: n, steps: 60, start: start) { a.multiplied(by: $0) }
        for _ in 0..<3 where !deadline.hasPassed {  // restarts from the Ritz vector sharpen the estimate
            (value, vector) = SymmetricEigen.lanczosTop(dimension: n, steps: 60, start: vector) { a.multiplied(by: $0) }
        }
        return value
    }

    /// √x rounded up by a few ulps.
    static func roundedUpSquareRoot(_ x: Double) -> Double {
        (x * (1 + 4 * Rounding.unit)).squareRoot() * (1 + 4 * Rounding.unit)
    }

    private static func fallback(_ w: Matrix) -> Double {
        var rowSums = [Double](repeating: 0, count: w.rows)
        var colSums = [Double](repeating: 0, count: w.columns)
        for r in 0..<w.rows { for c in 0..<w.columns { rowSums[r] += abs(w[r, c]); colSums[c] += abs(w[r, c]) } }
        let frob = w.frobeniusNorm
        let mixed = ((rowSums.max() ?? 0) * (colSums.max() ?? 0)).squareRoot()
        return min(frob, mixed) * (1 + 1e-10)
    }
}
