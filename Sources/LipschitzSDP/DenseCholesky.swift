import Tensor

/// A dense Cholesky factor `A = L Lᵀ` (L lower triangular, row-major), used by the certification and by the
/// closed-form compositional bound.
struct DenseCholesky: Sendable {
    /// The factor, `n × n`, zero above the diagonal.
    let lower: Matrix

    /// Columns factored between two looks at the deadline.
    static let deadlineStride = 32

    /// Factors the symmetric matrix `a` (only its lower triangle is read); nil when a pivot is not positive,
    /// i.e. when `a` is not numerically positive definite — or when `deadline` passes first (then nothing is
    /// proved either way).
    /// - Complexity: n³/3 multiply–adds.
    init?(_ a: Matrix, deadline: Deadline = .never) {
        let n = a.rows
        var l = a
        var ok = true
        l.storage.withUnsafeMutableBufferPointer { p in
            for j in 0..<n {
                if j % Self.deadlineStride == 0, deadline.hasPassed {
                    ok = false
                    return
                }
                let rowJ = j * n
                var d = p[rowJ + j]
                for k in 0..<j { d -= p[rowJ + k] * p[rowJ + k] }
                guard d > 0, d.isFinite else {
                    ok = false
                    return
                }
                let ljj = d.squareRoot()
                p[rowJ + j] = ljj
                for i in (j + 1)..<max(j + 1, n) {
                    let rowI = i * n
                    var s = p[rowI + j]
                    for k in 0..<j { s -= p[rowI + k] * p[rowJ + k] }
                    p[rowI + j] = s / ljj
                }
            }
            for i in 0..<n { for k in (i + 1)..<max(i + 1, n) { p[i * n + k] = 0 } }
        }
        guard ok else { return nil }
        lower = l
    }

    /// `L⁻¹ B` for `B` of shape `n × m` (forward substitution); nil when `deadline` passes first.
    func solveLower(_ b: Matrix, deadline: Deadline = .never) -> Matrix? {
        let n = lower.rows, m = b.columns
        precondition(b.rows == n, "triangular solve shape")
        var x = b
        var finished = true
        lower.storage.withUnsafeBufferPointer { l in
            x.storage.withUnsafeMutableBufferPointer { px in
                for r in 0..<n {
                    if r % Self.deadlineStride == 0, deadline.hasPassed {
                        finished = false
                        return
                    }
                    let rowR = r * m
                    for j in 0..<r {
                        let f = l[r * n + j]
                        if f == 0 { continue }
                        let rowJ = j * m
                        for c in 0..<m { px[rowR + c] -= f * px[rowJ + c] }
                    }
                    let d = l[r * n + r]
                    for c in 0..<m { px[rowR + c] /= d }
                }
            }
        }
        return finished ? x : nil
    }

    /// `Bᵀ A⁻¹ B = (L⁻¹B)ᵀ(L⁻¹B)` for `B` of shape `n × m`; nil when `deadline` passes first.
    func inverseQuadraticForm(_ b: Matrix, deadline: Deadline = .never) -> Matrix? {
        guard let y = solveLower(b, deadline: deadline) else { return nil }
        return y.transposeMultiplied(by: y)
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
    /// γ_{n+1}/(1 − γ_{n+1}) · tr|A| + `formationError` (Higham Thm 10.3 with ‖R̂‖_F² ≤ tr(A)/(1 − γ)).
    static func choleskyShift(dimension n: Int, absoluteTrace: Double, formationError: Double) -> Double {
        let g = gamma(n + 1)
        return 2 * (g / (1 - g) * absoluteTrace + formationError)
    }
}
