/// Extreme eigenpairs of symmetric operators given only by products.
public enum SymmetricEigen {
    /// The largest eigenvalue (Ritz value, an under-estimate) and a unit Ritz vector of the symmetric operator
    /// `apply` on ℝⁿ, by `steps` Lanczos steps with full reorthogonalisation started from `start`.
    ///
    /// - Complexity: `steps` products plus O(n · steps²) for reorthogonalisation.
    public static func lanczosTop(
        dimension n: Int, steps: Int, start: [Double], apply: ([Double]) -> [Double]
    ) -> (value: Double, vector: [Double]) {
        let m = max(1, min(steps, n))
        var q = start
        let qn = Vector.norm(q)
        if qn == 0 || !qn.isFinite { q = [Double](repeating: 1 / Double(n).squareRoot(), count: n) } else {
            for i in 0..<n { q[i] /= qn }
        }
        var basis: [[Double]] = [q]
        var alphas: [Double] = []
        var betas: [Double] = []
        for j in 0..<m {
            var w = apply(basis[j])
            let a = Vector.dot(w, basis[j])
            alphas.append(a)
            for _ in 0..<2 {  // full reorthogonalisation, twice is enough
                for b in basis {
                    let c = Vector.dot(w, b)
                    for i in 0..<n { w[i] -= c * b[i] }
                }
            }
            let beta = Vector.norm(w)
            if j == m - 1 || beta <= 1e-13 * max(1, abs(a)) { break }
            betas.append(beta)
            for i in 0..<n { w[i] /= beta }
            basis.append(w)
        }
        let (value, coefficients) = tridiagonalTop(alphas, betas)
        let k = coefficients.count
        var v = [Double](repeating: 0, count: n)
        for j in 0..<k {
            let c = coefficients[j]
            if c == 0 { continue }
            for i in 0..<n { v[i] += c * basis[j][i] }
        }
        let vn = Vector.norm(v)
        if vn > 0 { for i in 0..<n { v[i] /= vn } }
        return (value, v)
    }

    /// The largest eigenvalue (Sturm bisection) and its unit eigenvector (inverse iteration with a shift just
    /// above it, where T − σI is negative definite and the tridiagonal elimination is stable) of the symmetric
    /// tridiagonal matrix with diagonal `a` and off-diagonal `b`. O(k) per bisection step.
    public static func tridiagonalTop(_ a: [Double], _ b: [Double]) -> (value: Double, vector: [Double]) {
        let k = a.count
        var lo = Double.infinity, hi = -Double.infinity
        for i in 0..<k {
            let r = (i > 0 ? abs(b[i - 1]) : 0) + (i < k - 1 ? abs(b[i]) : 0)
            lo = min(lo, a[i] - r)
            hi = max(hi, a[i] + r)
        }
        let scale = max(abs(lo), abs(hi), Double.leastNormalMagnitude)
        func countBelow(_ x: Double) -> Int {
            var count = 0
            var q = 1.0
            for i in 0..<k {
                q = a[i] - x - (i > 0 ? b[i - 1] * b[i - 1] / q : 0)
                if q == 0 { q = -Double.ulpOfOne * scale }
                if q < 0 { count += 1 }
            }
            return count
        }
        for _ in 0..<200 where hi - lo > 4 * Double.ulpOfOne * scale {
            let mid = (lo + hi) / 2
            if countBelow(mid) == k { hi = mid } else { lo = mid }
        }
        let sigma = hi + 1e-10 * scale
        var x = [Double](repeating: 1, count: k)
        for _ in 0..<3 {
            // Solve (T − σI) y = x by tridiagonal elimination.
            var diag = (0..<k).map { a[$0] - sigma }
            var rhs = x
            for i in 1..<max(1, k) {
                let f = b[i - 1] / diag[i - 1]
                diag[i] -= f * b[i - 1]
                rhs[i] -= f * rhs[i - 1]
            }
            var y = [Double](repeating: 0, count: k)
            for i in stride(from: k - 1, through: 0, by: -1) {
                y[i] = (rhs[i] - (i < k - 1 ? b[i] * y[i + 1] : 0)) / diag[i]
            }
            let norm = Vector.norm(y)
            guard norm > 0, norm.isFinite else { break }
            x = y.map { $0 / norm }
        }
        return (hi, x)
    }

    /// All eigenvalues and eigenvectors (as columns) of a small dense symmetric matrix, cyclic Jacobi.
    public static func jacobi(_ input: Matrix) -> (values: [Double], vectors: Matrix) {
        let n = input.rows
        var a = input.storage
        var v = Matrix.identity(n).storage
        a.withUnsafeMutableBufferPointer { a in
            v.withUnsafeMutableBufferPointer { v in
                for _ in 0..<100 {
                    if isNearlyDiagonal(a, n) { break }
                    for p in 0..<n {
                        for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 { rotate(a, v, n, p, q) }
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, Matrix(rows: n, columns: n, storage: v))
    }

    /// Whether the off-diagonal energy of the row-major `n × n` matrix `a` is negligible against its diagonal.
    private static func isNearlyDiagonal(_ a: UnsafeMutableBufferPointer<Double>, _ n: Int) -> Bool {
        var off = 0.0
        for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += a[p * n + q] * a[p * n + q] } }
        return off < 1e-30 * max(1, (0..<n).reduce(0) { $0 + a[$1 * n + $1] * a[$1 * n + $1] })
    }

    /// The Jacobi rotation zeroing `a[p, q]`, applied to both sides of `a` and accumulated into `v`.
    private static func rotate(
        _ a: UnsafeMutableBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Double>, _ n: Int, _ p: Int, _ q: Int
    ) {
        let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
        let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot(), s = t * c
        for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }

    /// A deterministic pseudo-random unit vector.
    public static func randomVector(_ n: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var v = (0..<n).map { _ in rng.nextGaussian() }
        let s = Vector.norm(v)
        for i in 0..<n { v[i] /= s }
        return v
    }
}
