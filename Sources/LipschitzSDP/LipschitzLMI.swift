import Tensor

/// The LipSDP matrix with LipDiff's redundant constraints:
///
///     M(ρ,T,τ) = [A;B]ᵀ Q(T) [A;B] + blkdiag(−ρI, 0, …, 0, W_KᵀW_K) + blkdiag((wᵀτ)I, −diag(τ))
///
/// block-tridiagonal over the blocks (input, hidden layer 1, …, hidden layer K). If M ⪯ 0 with T, τ ≥ 0 then
/// the network is √ρ-Lipschitz (Fazlyab et al., NeurIPS 2019, Thm 2; redundant QCs from Wang et al., ICLR 2024).
/// Products with M are matrix-free; the certification eliminates blocks from the output side (a block
/// Cholesky of −M − c·I, so ρ enters only the last, input, block).
struct LipschitzLMI: Sendable {
    /// Affine operators `W_0 … W_K` (matrix-free products).
    let operators: [AffineOperator]
    /// The same operators as dense matrices, for the certification.
    let matrices: [Matrix]
    /// Lower and upper slopes α, β per hidden neuron.
    let alpha: [[Double]]
    let beta: [[Double]]
    /// αβ per hidden neuron.
    let product: [[Double]]
    /// α+β per hidden neuron.
    let sum: [[Double]]
    /// Redundant-constraint weights w (rigorous bounds on ‖Δz_k‖²/‖Δx‖²).
    let redundancy: [[Double]]
    /// Block sizes n_0 … n_K.
    let widths: [Int]
    /// Frobenius norms of the W_i (for the formation-error bound).
    let frobenius: [Double]

    /// The LMI of `chain`; `normBounds[i]` must be a rigorous upper bound on ‖W_i‖₂. `tighterRedundancy`, when
    /// given, must hold rigorous upper bounds on ‖Δz_k‖²/‖Δx‖² too (e.g. ``PrefixRedundancy``); the smaller of
    /// it and the norm-product bound is used per neuron.
    init(chain: SlopeChain, matrices: [Matrix], normBounds: [Double], tighterRedundancy: [[Double]]? = nil) {
        operators = chain.operators
        self.matrices = matrices
        alpha = chain.alpha
        beta = chain.beta
        product = zip(chain.alpha, chain.beta).map { zip($0, $1).map { $0 * $1 } }
        sum = zip(chain.alpha, chain.beta).map { zip($0, $1).map { $0 + $1 } }
        widths = chain.widths
        frobenius = matrices.map(\.frobeniusNorm)
        var prefix = 1.0
        var w: [[Double]] = []
        for i in 0..<chain.hiddenLayerCount {
            let m = matrices[i]
            let beta = chain.beta[i]
            w.append((0..<m.rows).map { k in
                var r = 0.0
                for c in 0..<m.columns { r += m[k, c] * m[k, c] }
                return beta[k] * beta[k] * r * prefix * prefix * (1 + 1e-10)
            })
            prefix *= normBounds[i] * (beta.max() ?? 0) * (1 + 1e-12)
        }
        if let tighter = tighterRedundancy {
            redundancy = zip(w, tighter).map { zip($0, $1).map { min($0, $1) } }
        } else {
            redundancy = w
        }
    }

    var hiddenCount: Int { widths.count - 1 }
    var dimension: Int { widths.reduce(0, +) }

    /// Penalty constant c = 1 + Σw of the exact penalty ρ + c·max(0, λ_max(M)) (§3.1).
    var penalty: Double { 1 + redundancy.reduce(0) { $0 + $1.reduce(0, +) } }

    /// wᵀτ.
    func redundantLoad(_ tau: [[Double]]) -> Double {
        zip(redundancy, tau).reduce(0) { $0 + zip($1.0, $1.1).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// Splits a flat vector into blocks.
    func blocks(_ x: [Double]) -> [[Double]] {
        var out: [[Double]] = []
        var o = 0
        for n in widths { out.append(Array(x[o..<(o + n)])); o += n }
        return out
    }

    /// Pre-activation products `u_i = W_{i−1} x_{i−1}` for i = 1 … K+1.
    private func forward(_ xs: [[Double]]) -> [[Double]] {
        (0...hiddenCount).map { operators[$0].apply(xs[$0]) }
    }

    /// `M(ρ,T,τ) x`, matrix-free: 2 products with every W_i.
    func apply(_ x: [Double], rho: Double, t: [[Double]], tau: [[Double]]) -> [Double] {
        let xs = blocks(x)
        let u = forward(xs)
        let k = hiddenCount
        var y: [Double] = []
        y.reserveCapacity(x.count)
        for i in 0...k {
            var back: [Double]
            if i < k {
                let (s, a, ti) = (sum[i], product[i], t[i])
                let (xn, un) = (xs[i + 1], u[i])
                var g = [Double](repeating: 0, count: widths[i + 1])
                for j in g.indices {
                    let c1: Double = s[j] * ti[j] * xn[j]
                    let c2: Double = 2 * a[j] * ti[j] * un[j]
                    g[j] = c1 - c2
                }
                back = operators[i].applyTransposed(g)
            } else {
                back = operators[k].applyTransposed(u[k])
            }
            if i == 0 {
                let d = redundantLoad(tau) - rho
                for j in back.indices { back[j] += d * xs[0][j] }
            } else {
                let (s, ti, taui) = (sum[i - 1], t[i - 1], tau[i - 1])
                for j in back.indices {
                    back[j] += s[j] * ti[j] * u[i - 1][j] - (2 * ti[j] + taui[j]) * xs[i][j]
                }
            }
            y.append(contentsOf: back)
        }
        return y
    }

    /// Gradients of vᵀM v with respect to ρ, t and τ at a unit vector v (§3.2).
    func gradient(_ v: [Double]) -> (rho: Double, t: [[Double]], tau: [[Double]]) {
        let vs = blocks(v)
        let u = forward(vs)
        let v0 = Vector.dot(vs[0], vs[0])
        var dt: [[Double]] = []
        var dtau: [[Double]] = []
        for i in 0..<hiddenCount {
            let (s, a, z, ui, w) = (sum[i], product[i], vs[i + 1], u[i], redundancy[i])
            var gt = [Double](repeating: 0, count: z.count)
            var gtau = gt
            for j in gt.indices {
                let cross: Double = 2 * z[j] * (s[j] * ui[j] - z[j])
                let quad: Double = 2 * a[j] * ui[j] * ui[j]
                gt[j] = cross - quad
                gtau[j] = w[j] * v0 - z[j] * z[j]
            }
            dt.append(gt)
            dtau.append(gtau)
        }
        return (-v0, dt, dtau)
    }
}
