import Tensor

/// A dense Cholesky factor `A = L Lᵀ` (L lower triangular, row-major), used by the certification and by the
/// closed-form compositional bound. Factorisation and solves run through LAPACK/BLAS
/// (``BLAS/choleskyLower(_:n:blockSize:shouldStop:)``), a block of columns at a time so that a deadline is honoured
/// between blocks.
struct DenseCholesky: Sendable {
    /// The factor, `n × n`, zero above the diagonal.
    let lower: Matrix

    /// Factors the symmetric matrix `a` (only its lower triangle is read); nil when a pivot is not positive,
    /// i.e. when `a` is not numerically positive definite, when `a` holds a NaN or an infinity — or when
    /// `deadline` passes first (then nothing is proved either way).
    /// - Complexity: n³/3 multiply–adds.
    init?(_ a: Matrix, deadline: Deadline = .never) {
        let n = a.rows
        var l = a
        for i in 0..<n { for k in 0...i where !l.storage[i * n + k].isFinite { return nil } }
        guard BLAS.choleskyLower(&l.storage, n: n, shouldStop: { deadline.hasPassed }) else { return nil }
        for i in 0..<n { for k in (i + 1)..<max(i + 1, n) { l.storage[i * n + k] = 0 } }
        lower = l
    }

    /// `L⁻¹ B` for `B` of shape `n × m` (forward substitution); nil when `deadline` passes first.
    func solveLower(_ b: Matrix, deadline: Deadline = .never) -> Matrix? {
        precondition(b.rows == lower.rows, "triangular solve shape")
        var x = b
        let finished = BLAS.solveLowerTriangular(
            lower.storage, n: lower.rows, &x.storage, columns: b.columns, shouldStop: { deadline.hasPassed })
        return finished ? x : nil
    }

    /// `Lᵀ z = y` (back substitution).
    func solveUpper(_ y: [Double]) -> [Double] {
        let n = lower.rows
        var z = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var r = z[i]
            for k in (i + 1)..<max(i + 1, n) { r -= lower[k, i] * z[k] }
            z[i] = r / lower[i, i]
        }
        return z
    }

    /// `Bᵀ A⁻¹ B = (L⁻¹B)ᵀ(L⁻¹B)` for `B` of shape `n × m`; nil when `deadline` passes first.
    func inverseQuadraticForm(_ b: Matrix, deadline: Deadline = .never) -> Matrix? {
        guard let y = solveLower(b, deadline: deadline) else { return nil }
        return y.gram()
    }
}

/// Unit roundoff and Higham's γ_k = k·u / (1 − k·u) for rounding-error bounds.
enum Rounding {
    /// Unit roundoff of Float64, 2⁻⁵³.
    static let unit = 0x1p-53

    /// γ_k (Higham, Accuracy and Stability of Numerical Algorithms, §3.4).
    static func gamma(_ k: Int) -> Double {
        let ku = Double(k) * unit
        return ku / (1 - ku)
    }

    /// Diagonal shift that makes a successful floating-point Cholesky of `A − shift·I` prove `A ⪰ 0`:
    /// γ/(1 − γ) · tr|A| + `formationError` (Higham Thm 10.3 with ‖R̂‖_F² ≤ tr(A)/(1 − γ)), doubled. Higham's
    /// γ_{n+1} holds for any order of summation; γ_{n+2} here also covers BLAS kernels that divide by a pivot
    /// through its rounded reciprocal (``BLAS/choleskyLower(_:n:blockSize:shouldStop:)``).
    static func choleskyShift(dimension n: Int, absoluteTrace: Double, formationError: Double) -> Double {
        let g = gamma(n + 2)
        return 2 * (g / (1 - g) * absoluteTrace + formationError)
    }
}
