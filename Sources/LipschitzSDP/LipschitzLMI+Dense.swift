import Tensor

extension LipschitzLMI {
    /// Offsets of the blocks (input, hidden 1 … K) in the LMI's coordinates.
    var offsets: [Int] {
        var o = 0
        return widths.map { w in
            defer { o += w }
            return o
        }
    }

    /// `M(ρ,T,τ)` as a dense symmetric `n × n` matrix (the operator of ``apply(_:rho:t:tau:)``), for the
    /// interior-point solver on small LMIs. Not used by the certification, which bounds its own formation error.
    func dense(rho: Double, t: [[Double]], tau: [[Double]]) -> Matrix {
        let n = dimension
        let off = offsets
        var m = Matrix(rows: n, columns: n)
        let diagonal0 = redundantLoad(tau) - rho
        for i in 0..<widths[0] { m[i, i] += diagonal0 }
        for h in 0..<hiddenCount {
            let (inner, outer) = (off[h], off[h + 1])
            // −2 W_hᵀ diag(αβ t) W_h on block h, diag((α+β) t) W_h coupling block h+1 with block h (the
            // certification's blocks), and −diag(2t + τ) on block h+1.
            if let c = curvature(layer: h, t: t) {
                for a in 0..<c.rows { for b in 0..<c.columns { m[inner + a, inner + b] -= c[a, b] } }
            }
            let coupling = coupling(layer: h, t: t)
            for j in 0..<coupling.rows {
                for c in 0..<coupling.columns {
                    m[outer + j, inner + c] += coupling[j, c]
                    m[inner + c, outer + j] += coupling[j, c]
                }
                m[outer + j, outer + j] -= 2 * t[h][j] + tau[h][j]
            }
        }
        let last = matrices[hiddenCount].gram()
        let o = off[hiddenCount]
        for a in 0..<last.rows { for b in 0..<last.columns { m[o + a, o + b] += last[a, b] } }
        return m
    }
}
