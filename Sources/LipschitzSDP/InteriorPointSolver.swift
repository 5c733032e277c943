import Foundation
import Tensor

/// Primal barrier (interior-point) LipSDP solver for LMIs small enough to factor densely:
///
///     minimise ρ/μ − log det(−M(ρ,T,τ)) − Σ log t(U − t) − Σ log τ(U − τ),   μ ↓ 0   (U: ``ceilingFactor``),
///
/// by Newton steps with a backtracking line search on the barrier (which stays +∞ outside the interior, so every
/// iterate is strictly feasible), μ shrinking ×``muDecay`` once the iterate is centred (Newton decrement at most
/// ``centred``), until the central path's duality gap ν·μ (ν = n + 4N, the barrier parameter) is below
/// ``relativeGap``·ρ. Each step factors −M (n × n), forms S = (−M)⁻¹ and the Hessian
/// tr(S A_a S A_b) over the 1 + 2N multipliers from S, S·Rᵀ and R·S·Rᵀ (R: the hidden neurons' weight rows,
/// the slope constraints being rank-2 in [e_j, r_j]), and solves the Newton system by Cholesky — O(n³ + n²N + N³)
/// per step, a few steps per decade of μ once centred, within ``timeShare`` of the remaining time — where the
/// first-order solver (``ExactPenaltySolver``) needs thousands of Lanczos iterations to reach a 1% gap.
///
/// Nothing here is trusted: the final (T, τ) go through ``LipschitzLMI/polish(t:tau:rhoHint:seed:deadline:)``,
/// the rounding-safe block Cholesky that certifies ρ, and the lower bound on the optimum comes from the dual
/// point Z ∝ S made feasible by ``LipschitzLMI/dualBound(directions:perLayer:)``. Returns nil when a Newton
/// system fails to factor or nothing is certified, so the caller falls back to the first-order solver.
struct InteriorPointSolver {
    let lmi: LipschitzLMI
    let options: LipschitzOptions
    /// The run stops when the central path's duality gap ν·μ is below this fraction of ρ.
    static let relativeGap = 1e-7
    /// Factor by which μ shrinks once the iterate is centred.
    static let muDecay = 0.1
    /// The iterate counts as centred when the Newton decrement is at most this.
    static let centred = 0.5
    /// The multipliers are kept below this multiple of the start's largest one (U): a neuron whose incoming
    /// weights are tiny against its layer's scale leaves its t all but unbounded (ACAS Xu), and the barrier's
    /// centre with it.
    static let ceilingFactor = 1e3
    /// Share of the remaining time the Newton steps may take (the polish and the dual bound follow).
    static let timeShare = 0.5
    /// Newton steps allowed in all.
    static let maximumSteps = 2_000

    /// Number of hidden neurons N (the multipliers are x = (ρ, t₁ … t_N, τ₁ … τ_N)).
    private var hidden: Int { lmi.widths.dropFirst().reduce(0, +) }

    /// The certified outcome, or nil; `converged` is false when the steps or the time ran out before the gap
    /// closed (the caller then also runs the first-order solver).
    func solve(start: CertifiedPoint, deadline: Deadline) -> (outcome: ExactPenaltySolver.Outcome, converged: Bool)? {
        guard var x = interiorStart(start) else { return nil }
        let ceiling = Self.ceilingFactor * max(x.dropFirst().max() ?? 1, Double.leastNormalMagnitude)
        let barrier = LogBarrier(ceiling: ceiling) { x in
            let (t, tau) = split(x)
            return factor(rho: x[0], t: t, tau: tau)
        }
        let nu = Double(lmi.dimension + 4 * hidden)
        var mu = x[0] / nu
        var steps = 0
        var converged = false
        var last: Matrix?
        // The Newton steps get a share of the time: when they stall, the first-order solver needs the rest.
        let stepDeadline = deadline.fraction(Self.timeShare)
        while steps < Self.maximumSteps, !stepDeadline.hasPassed {
            guard let step = newtonStep(x, mu: mu, barrier: barrier) else { break }
            steps += 1
            last = step.inverse
            let length = barrier.lineSearch(
                x, step.direction, from: step.value, slope: -step.decrement * step.decrement, mu: mu)
            guard length > 0 else { break }
            for i in x.indices { x[i] += length * step.direction[i] }
            if step.decrement <= Self.centred {
                if nu * mu <= Self.relativeGap * x[0] {
                    converged = true
                    break
                }
                mu *= Self.muDecay
            }
        }
        let (t, tau) = split(x)
        guard let certified = lmi.polish(t: t, tau: tau, rhoHint: x[0] * 1.01, seed: options.seed, deadline: deadline)
        else { return nil }
        var outcome = ExactPenaltySolver.Outcome(
            best: certified.rho < start.rho ? certified : start, iterations: steps, checks: 1,
            lastPenaltyValue: x[0], dual: nil, cycles: 1)
        if let s = last, let y = DenseCholesky(s)?.lower {
            // S = Y Yᵀ: its columns are the directions of the dual point Z ∝ S.
            outcome.dual = lmi.dualBound(directions: (0..<y.columns).map { y.column($0) })
        }
        return (outcome, converged)
    }

    /// A strictly feasible start near `start`: T, τ floored above 0 (τ's load on the input block kept below
    /// 10⁻⁶ρ), ρ raised by 10⁻³; nil when −M does not factor even so.
    private func interiorStart(_ start: CertifiedPoint) -> [Double]? {
        let tFloor = 1e-9 * max(start.t.flatMap { $0 }.max() ?? 1, Double.leastNormalMagnitude)
        let t = start.t.map { $0.map { max($0, tFloor) } }
        let weight = max(lmi.redundancy.flatMap { $0 }.reduce(0, +), Double.leastNormalMagnitude)
        let tauFloor = max(1e-6 * start.rho / weight, Double.leastNormalMagnitude)
        let tau = start.tau.map { $0.map { max($0, tauFloor) } }
        var rho = start.rho * (1 + 1e-3) + lmi.redundantLoad(tau)
        for _ in 0..<20 {
            if factor(rho: rho, t: t, tau: tau) != nil { return [rho] + t.flatMap { $0 } + tau.flatMap { $0 } }
            rho *= 2
        }
        return nil
    }

    private func split(_ x: [Double]) -> (t: [[Double]], tau: [[Double]]) {
        var t: [[Double]] = [], tau: [[Double]] = []
        var o = 1
        for w in lmi.widths.dropFirst() {
            t.append(Array(x[o..<(o + w)]))
            o += w
        }
        for w in lmi.widths.dropFirst() {
            tau.append(Array(x[o..<(o + w)]))
            o += w
        }
        return (t, tau)
    }

    /// The Cholesky factor of −M at (ρ, T, τ), nil when −M is not positive definite.
    private func factor(rho: Double, t: [[Double]], tau: [[Double]]) -> DenseCholesky? {
        var f = lmi.dense(rho: rho, t: t, tau: tau)
        for i in f.storage.indices { f.storage[i] = -f.storage[i] }
        return DenseCholesky(f)
    }

    /// The Newton direction of the barrier at `x` for `mu`, its decrement, S = (−M)⁻¹ and the barrier's value.
    private func newtonStep(_ x: [Double], mu: Double, barrier: LogBarrier)
        -> (direction: [Double], decrement: Double, inverse: Matrix, value: Double)?
    {
        let (t, tau) = split(x)
        guard let chol = factor(rho: x[0], t: t, tau: tau),
            let s = chol.inverseQuadraticForm(Matrix.identity(lmi.dimension))
        else { return nil }
        let (gradient, hessian) = barrierDerivatives(s, t: t, tau: tau)
        guard let step = barrier.newtonDirection(x, mu: mu, gradient: gradient, hessian: hessian) else { return nil }
        return (step.direction, step.decrement, s, barrier.value(x, factor: chol, mu: mu))
    }

    /// Gradient and Hessian of −log det(−M) in x = (ρ, t, τ) from S = (−M)⁻¹: ∂/∂x_a = tr(S A_a),
    /// ∂²/∂x_a∂x_b = tr(S A_a S A_b) with A_a = ∂M/∂x_a — A_ρ = −P₀ (P₀ the input block), A_{t_j} =
    /// U_j C_j U_jᵀ with U_j = [e_j, r_j] (r_j neuron j's weight row in the previous block) and
    /// C_j = [[−2, α_j+β_j], [α_j+β_j, −2α_jβ_j]], A_{τ_j} = w_j P₀ − e_j e_jᵀ.
    func barrierDerivatives(_ s: Matrix, t: [[Double]], tau: [[Double]]) -> (gradient: [Double], hessian: Matrix) {
        let n0 = lmi.widths[0]
        let off = lmi.offsets
        let count = hidden
        let m = 1 + 2 * count
        // Per hidden neuron: its coordinate g, slope terms, redundancy weight, and its weight row's layer.
        var g = [Int](), sums = [Double](), products = [Double](), weights = [Double]()
        for h in 0..<lmi.hiddenCount {
            for j in 0..<lmi.widths[h + 1] {
                g.append(off[h + 1] + j)
                sums.append(lmi.sum[h][j])
                products.append(lmi.product[h][j])
                weights.append(lmi.redundancy[h][j])
            }
        }
        // SR = S Rᵀ (n × N) and Q = R S Rᵀ (N × N), a layer of rows at a time.
        var sr = Matrix(rows: lmi.dimension, columns: count)
        var q = Matrix(rows: count, columns: count)
        var first = 0
        var blocks: [(first: Int, rows: Matrix)] = []
        for h in 0..<lmi.hiddenCount {
            let w = lmi.matrices[h]
            let columns = s.selectingColumns(Array(off[h]..<(off[h] + lmi.widths[h])))
            let part = columns.multiplied(byTransposeOf: w)  // n × n_{h+1}
            for r in 0..<lmi.dimension { for c in 0..<w.rows { sr[r, first + c] = part[r, c] } }
            blocks.append((first, w))
            first += w.rows
        }
        for (h, block) in blocks.enumerated() {
            let rows = sr.selectingRows(Array(off[h]..<(off[h] + lmi.widths[h])))  // n_h × N
            let part = block.rows.multiplied(by: rows)  // n_{h+1} × N
            for r in 0..<block.rows.rows { for c in 0..<count { q[block.first + r, c] = part[r, c] } }
        }
        // Input-block quantities.
        var s00 = 0.0, trace00 = 0.0
        for i in 0..<n0 {
            trace00 += s[i, i]
            for k in 0..<n0 { s00 += s[i, k] * s[i, k] }
        }
        // Y_a = (P₀ S U_a)ᵀ(P₀ S U_a) entries and ‖S[g_a, input]‖².
        var yee = [Double](repeating: 0, count: count), yer = yee, yrr = yee, rowInput = yee
        for a in 0..<count {
            for i in 0..<n0 {
                let p = s[i, g[a]], r = sr[i, a]
                yee[a] += p * p
                yer[a] += p * r
                yrr[a] += r * r
            }
            rowInput[a] = yee[a]
        }
        var gradient = [Double](repeating: 0, count: m)
        var hessian = Matrix(rows: m, columns: m)
        gradient[0] = -trace00
        hessian[0, 0] = s00
        for a in 0..<count {
            let (sa, pa) = (sums[a], products[a])
            // tr(C_a K_aa), K_aa = [[S_gg, SR_ga], [SR_ga, Q_aa]].
            gradient[1 + a] = -2 * s[g[a], g[a]] + 2 * sa * sr[g[a], a] - 2 * pa * q[a, a]
            gradient[1 + count + a] = weights[a] * trace00 - s[g[a], g[a]]
            // tr(C_a Y_a).
            let cy = -2 * yee[a] + 2 * sa * yer[a] - 2 * pa * yrr[a]
            hessian[1 + a, 0] = -cy
            hessian[1 + count + a, 0] = -(weights[a] * s00 - rowInput[a])
            for b in 0...a {
                let (sb, pb) = (sums[b], products[b])
                // K_ab = U_aᵀ S U_b.
                let k11 = s[g[a], g[b]], k12 = sr[g[a], b], k21 = sr[g[b], a], k22 = q[a, b]
                // X = C_a K_ab, Y = C_b K_abᵀ, tr(XY).
                let x11 = -2 * k11 + sa * k21, x12 = -2 * k12 + sa * k22
                let x21 = sa * k11 - 2 * pa * k21, x22 = sa * k12 - 2 * pa * k22
                let y11 = -2 * k11 + sb * k12, y12 = -2 * k21 + sb * k22
                let y21 = sb * k11 - 2 * pb * k12, y22 = sb * k21 - 2 * pb * k22
                let tt = x11 * y11 + x12 * y21 + x21 * y12 + x22 * y22
                hessian[1 + a, 1 + b] = tt
                // τ–τ.
                hessian[1 + count + a, 1 + count + b] =
                    weights[a] * weights[b] * s00 - weights[a] * rowInput[b] - weights[b] * rowInput[a] + k11 * k11
                // t_a–τ_b and t_b–τ_a: w_b tr(C_a Y_a) − kᵀ C_a k with k = U_aᵀ S e_{g_b} = (k11, k21).
                hessian[1 + count + b, 1 + a] = weights[b] * cy - quadratic(k11, k21, sa, pa)
                if b != a {
                    let cyb = -2 * yee[b] + 2 * sb * yer[b] - 2 * pb * yrr[b]
                    hessian[1 + count + a, 1 + b] = weights[a] * cyb - quadratic(k11, k12, sb, pb)
                }
            }
        }
        hessian.mirrorLowerTriangle()
        return (gradient, hessian)
    }

    /// kᵀ C k for C = [[−2, s], [s, −2p]].
    private func quadratic(_ k1: Double, _ k2: Double, _ s: Double, _ p: Double) -> Double {
        -2 * k1 * k1 + 2 * s * k1 * k2 - 2 * p * k2 * k2
    }
}
