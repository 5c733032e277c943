import Tensor

/// The LipSDP-Neuron program of a chain with fixed-slope neurons (`α = β`: the stably active ReLUs of a local
/// analysis) restricted to the subspace where those neurons are linear.
///
/// A fixed-slope neuron's constraint `(Δφ − αΔz)(βΔz − Δφ) ≥ 0` is the equality `Δφ = αΔz`. In the LMI its
/// multiplier only ever helps (`∂λ_max/∂t ≤ 0`), and the optimum is approached only as it grows without bound —
/// in the limit the LMI holds on the subspace of the equalities (Finsler's lemma). Neither solver reaches
/// that limit: the first-order solver stalls (ACAS Xu 1_1 over prop_3: a 5.5% gap) and the interior-point
/// method caps its multipliers. Here the fixed neurons are eliminated instead: every block's coordinates are
/// written as `P_h u` in the reduced coordinates `u` (the input, then the free neurons of each layer), with
/// `P_0 = [I 0]`, a free neuron's row a unit vector and a fixed neuron's row `α·(W_{h−1} P_{h−1})_j`, and
///
///     F(ρ, λ) = ρ·E₀E₀ᵀ − (W_K P_K)ᵀ(W_K P_K) + Σ_k λ_k A_k ⪰ 0,
///     A_k = αβ a_k a_kᵀ − (α+β)/2 (a_k e_kᵀ + e_k a_kᵀ) + e_k e_kᵀ,
///
/// over the free neurons `k` (`a_k` the pre-activation row `(W_{h−1} P_{h−1})_j`, `e_k` its own coordinate),
/// is `−Pᵀ M P` with `λ = 2t`: an ordinary small SDP whose optimum is attained. Nothing computed here is
/// trusted: ``ReducedInteriorPointSolver`` carries its multipliers back to the full chain, where the
/// rounding-safe certification decides.
struct FixedSlopeReduction {
    /// The full chain's LMI.
    let lmi: LipschitzLMI
    /// Per hidden layer, the neurons with `α < β` (those that keep a coordinate).
    let free: [[Int]]
    /// `n_0` plus the number of free neurons.
    let dimension: Int
    /// Per block (input, hidden 1 … K), `P_h`: the block's coordinates in the reduced ones (`n_h × dimension`).
    let embeddings: [Matrix]
    /// Per free neuron, in layer order: its pre-activation row `a_k` (row `k`, `dimension` columns).
    let preactivations: Matrix
    /// Per free neuron, its reduced coordinate, `α + β` and `αβ`.
    let coordinates: [Int]
    let sums: [Double]
    let products: [Double]
    /// `−(W_K P_K)ᵀ(W_K P_K)`.
    let outputTerm: Matrix

    /// The reduction of `lmi`; nil when no neuron has a fixed slope (there is nothing to eliminate).
    init?(_ lmi: LipschitzLMI) {
        guard zip(lmi.alpha, lmi.beta).contains(where: { zip($0, $1).contains { $0 == $1 } }) else { return nil }
        self.lmi = lmi
        free = zip(lmi.alpha, lmi.beta).map { a, b in a.indices.filter { a[$0] < b[$0] } }
        let n0 = lmi.widths[0]
        dimension = n0 + free.reduce(0) { $0 + $1.count }
        var input = Matrix(rows: n0, columns: dimension)
        for i in 0..<n0 { input[i, i] = 1 }
        var embeddings = [input]
        var rows: [[Double]] = [], coordinates: [Int] = [], sums: [Double] = [], products: [Double] = []
        var next = n0
        for h in 0..<lmi.hiddenCount {
            let pre = lmi.matrices[h].multiplied(by: embeddings[h])
            var block = Matrix(rows: lmi.widths[h + 1], columns: dimension)
            let isFree = Set(free[h])
            for j in 0..<block.rows {
                if isFree.contains(j) {
                    block[j, next] = 1
                    rows.append(pre.row(j))
                    coordinates.append(next)
                    sums.append(lmi.sum[h][j])
                    products.append(lmi.product[h][j])
                    next += 1
                } else {
                    for c in 0..<dimension { block[j, c] = lmi.alpha[h][j] * pre[j, c] }
                }
            }
            embeddings.append(block)
        }
        self.embeddings = embeddings
        preactivations = Matrix(rows: rows.count, columns: dimension, storage: rows.flatMap { $0 })
        self.coordinates = coordinates
        self.sums = sums
        self.products = products
        var output = lmi.matrices[lmi.hiddenCount].multiplied(by: embeddings[lmi.hiddenCount]).gram()
        for k in output.storage.indices { output.storage[k] = -output.storage[k] }
        outputTerm = output
    }

    /// Number of free neurons (multipliers λ).
    var multiplierCount: Int { coordinates.count }

    /// `F(ρ, λ)`, dense and symmetric.
    func matrix(rho: Double, lambda: [Double]) -> Matrix {
        var f = outputTerm
        let n = dimension
        for i in 0..<lmi.widths[0] { f[i, i] += rho }
        var curvature = preactivations
        var any = false
        for k in 0..<multiplierCount {
            let w = (lambda[k] * products[k]).squareRoot()
            any = any || w > 0
            for c in 0..<n { curvature[k, c] *= w }
        }
        if any {
            let g = curvature.gram()
            for i in f.storage.indices { f.storage[i] += g.storage[i] }
        }
        for k in 0..<multiplierCount {
            let e = coordinates[k], half = lambda[k] * sums[k] / 2
            for c in 0..<n {
                let v = half * preactivations[k, c]
                f[e, c] -= v
                f[c, e] -= v
            }
            f[e, e] += lambda[k]
        }
        return f
    }

    /// The full chain's multipliers `t` for the reduced `λ`: `λ/2` on the free neurons, and on the fixed ones
    /// `factor` times their layer's largest free `t` (the largest of all where a layer has none).
    func multipliers(lambda: [Double], fixedFactor factor: Double) -> [[Double]] {
        var t = lmi.alpha.map { [Double](repeating: 0, count: $0.count) }
        var k = 0
        for h in free.indices {
            for j in free[h] {
                t[h][j] = lambda[k] / 2
                k += 1
            }
        }
        let overall = max(t.flatMap { $0 }.max() ?? 0, Double.leastNormalMagnitude)
        for h in t.indices {
            let scale = free[h].isEmpty ? overall : max(t[h].max() ?? 0, Double.leastNormalMagnitude)
            let isFree = Set(free[h])
            for j in t[h].indices where !isFree.contains(j) { t[h][j] = factor * scale }
        }
        return t
    }

    /// `P u`: a reduced vector in the full chain's coordinates (blocks concatenated).
    func lift(_ u: [Double]) -> [Double] { embeddings.flatMap { $0.multiplied(by: u) } }
}
