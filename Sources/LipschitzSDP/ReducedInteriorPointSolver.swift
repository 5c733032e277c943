import Foundation
import Tensor

/// LipSDP-Neuron for a chain with fixed-slope neurons, solved on its ``FixedSlopeReduction`` by a primal
/// barrier method and certified on the full chain:
///
///     minimise ρ/μ − log det F(ρ, λ) − Σ log λ_k(U − λ_k),   μ ↓ 0   (U: ``ceilingFactor``),
///
/// by Newton steps with a backtracking line search (``LogBarrier``: every iterate strictly feasible), μ shrinking
/// ×``InteriorPointSolver/muDecay`` once the iterate is centred, until the central path's gap ν·μ
/// (ν = dimension + multipliers) is below ``InteriorPointSolver/relativeGap``·ρ. Each step factors F (the reduced
/// dimension: on ACAS Xu 1_1 over prop_3, 99 against the full 165) and forms the Hessian
/// `tr(S A_p S A_q)` (S = F⁻¹) from S, S·Rᵀ and R·S·Rᵀ (R the free neurons' pre-activation rows): every A_k is
/// rank 2 in `[a_k, e_k]`.
///
/// Certification: the free neurons' `t = λ/2` and, on the fixed ones, a multiplier that grows by decades
/// (``fixedFactors``, relative to the layer's largest free `t`: Finsler's lemma says a finite one certifies any
/// ρ above the reduced optimum) go through ``LipschitzLMI/polish(t:tau:rhoHint:seed:deadline:)`` — the
/// rounding-safe block Cholesky of the full chain — and the smallest certified ρ is kept. The lower bound on the
/// optimum comes from the dual point Z ∝ P S Pᵀ (S's Cholesky columns lifted to the full coordinates, where
/// every fixed neuron's constraint holds with equality) made feasible by
/// ``LipschitzLMI/dualBound(directions:perLayer:)``. Nil when no strictly feasible start is found, a Newton
/// system fails to factor, or nothing is certified.
struct ReducedInteriorPointSolver {
    let reduction: FixedSlopeReduction
    let options: LipschitzOptions
    /// Multipliers of the fixed neurons tried in the certification, relative to their layer's largest free t.
    static let fixedFactors: [Double] = stride(from: 1.0, through: 7.0, by: 0.5).map { pow(10, $0) }
    /// Centred iterates whose ρ is within this fraction of the last one's are certified too.
    static let centreSlack = 1e-2
    /// The multipliers are kept below this multiple of the start's largest one (U): a free neuron whose
    /// constraint costs nothing along some direction (a near-zero pre-activation row) would otherwise let the
    /// barrier run its λ off to infinity (ACAS Xu 1_1 over prop_1: 300 steps at a Newton decrement of 1.7).
    static let ceilingFactor = 1e6
    /// Centred iterates whose S = F⁻¹ is tried as a dual point.
    static let dualCentres = 4
    /// Newton steps allowed in all.
    static let maximumSteps = 2_000

    private var lmi: LipschitzLMI { reduction.lmi }

    /// The certified outcome and whether its gap closed (`options.gapTolerance`), or nil.
    func solve(start: CertifiedPoint, deadline: Deadline) -> (outcome: ExactPenaltySolver.Outcome, converged: Bool)? {
        guard var x = interiorStart(start) else { return nil }
        let ceiling = Self.ceilingFactor * max(x.dropFirst().max() ?? 1, Double.leastNormalMagnitude)
        let barrier = LogBarrier(ceiling: ceiling) {
            DenseCholesky(reduction.matrix(rho: $0[0], lambda: Array($0.dropFirst())))
        }
        let nu = Double(reduction.dimension + 2 * reduction.multiplierCount)
        var mu = x[0] / nu
        var steps = 0
        var centres: [(x: [Double], inverse: Matrix)] = []
        let stepDeadline = deadline.fraction(InteriorPointSolver.timeShare)
        while steps < Self.maximumSteps, !stepDeadline.hasPassed {
            guard let step = newtonStep(x, mu: mu, barrier: barrier) else { break }
            steps += 1
            let length = barrier.lineSearch(
                x, step.direction, from: step.value, slope: -step.decrement * step.decrement, mu: mu)
            guard length > 0 else { break }
            for i in x.indices { x[i] += length * step.direction[i] }
            if step.decrement <= InteriorPointSolver.centred {
                centres.append((x, step.inverse))
                if nu * mu <= InteriorPointSolver.relativeGap * x[0] { break }
                mu *= InteriorPointSolver.muDecay
            }
        }
        // The last iterate is the tightest, but F is nearly singular there and the fixed neurons' multipliers
        // must be huge to certify it: earlier centres, with slack, may certify a smaller ρ.
        var best: CertifiedPoint?
        for point in centres.map(\.x).filter({ $0[0] <= x[0] * (1 + Self.centreSlack) }) + [x]
        where !deadline.hasPassed {
            if let p = certify(lambda: Array(point.dropFirst()), rhoHint: point[0], deadline: deadline),
               p.rho < best?.rho ?? .infinity
            {
                best = p
            }
        }
        guard let best else { return nil }
        var outcome = ExactPenaltySolver.Outcome(
            best: best.rho < start.rho ? best : start, iterations: steps, checks: Self.fixedFactors.count,
            lastPenaltyValue: x[0], dual: nil, cycles: 1)
        // Dual points Z ∝ P S Pᵀ from the last centres (the last S is the most nearly singular one).
        for centre in centres.suffix(Self.dualCentres) where !deadline.hasPassed {
            guard let y = DenseCholesky(centre.inverse)?.lower,
                  let d = lmi.dualBound(directions: (0..<y.columns).map { reduction.lift(y.column($0)) }),
                  d > outcome.dual ?? -.infinity
            else { continue }
            outcome.dual = d
        }
        return (outcome, (outcome.gap ?? 1) <= options.gapTolerance)
    }

    /// The smallest ρ certified on the full chain over ``fixedFactors``, nil when none is.
    private func certify(lambda: [Double], rhoHint: Double, deadline: Deadline) -> CertifiedPoint? {
        let zeroTau = lmi.alpha.map { $0.map { _ in 0.0 } }
        var best: CertifiedPoint?
        for factor in Self.fixedFactors where !deadline.hasPassed {
            let t = reduction.multipliers(lambda: lambda, fixedFactor: factor)
            guard let p = lmi.polish(t: t, tau: zeroTau, rhoHint: rhoHint * 1.01, seed: options.seed,
                                     deadline: deadline)
            else { continue }
            if p.rho < best?.rho ?? .infinity { best = p }
        }
        return best
    }

    /// A strictly feasible start from `start` (t carried to λ = 2t on the free neurons, floored above 0; ρ
    /// raised by 10⁻³, then doubled until F factors); nil when it never does.
    private func interiorStart(_ start: CertifiedPoint) -> [Double]? {
        let floor = 1e-9 * max(start.t.flatMap { $0 }.max() ?? 1, Double.leastNormalMagnitude)
        let lambda = zip(reduction.free, start.t).flatMap { free, t in free.map { 2 * max(t[$0], floor) } }
        var rho = start.rho * (1 + 1e-3)
        for _ in 0..<20 {
            if DenseCholesky(reduction.matrix(rho: rho, lambda: lambda)) != nil { return [rho] + lambda }
            rho *= 2
        }
        return nil
    }

    /// The Newton direction at `x`, its decrement, S = F⁻¹ and the barrier's value.
    private func newtonStep(_ x: [Double], mu: Double, barrier: LogBarrier)
        -> (direction: [Double], decrement: Double, inverse: Matrix, value: Double)?
    {
        guard let chol = barrier.factor(x),
              let s = chol.inverseQuadraticForm(Matrix.identity(reduction.dimension))
        else { return nil }
        let (gradient, hessian) = derivatives(s)
        guard let step = barrier.newtonDirection(x, mu: mu, gradient: gradient, hessian: hessian) else { return nil }
        return (step.direction, step.decrement, s, barrier.value(x, factor: chol, mu: mu))
    }

    /// Gradient and Hessian of −log det F in (ρ, λ) from S = F⁻¹: `−tr(S A_a)` and `tr(S A_a S A_b)`, with
    /// A_ρ = E₀E₀ᵀ and A_k = U_k C_k U_kᵀ, U_k = [a_k, e_k], C_k = [[αβ, −(α+β)/2], [−(α+β)/2, 1]].
    func derivatives(_ s: Matrix) -> (gradient: [Double], hessian: Matrix) {
        let r = reduction.preactivations
        let count = reduction.multiplierCount
        let e = reduction.coordinates
        let sr = s.multiplied(byTransposeOf: r)  // S Rᵀ: column k is S a_k
        let q = r.multiplied(by: sr)  // R S Rᵀ
        let n0 = lmi.widths[0]
        var gradient = [Double](repeating: 0, count: count + 1)
        var hessian = Matrix(rows: count + 1, columns: count + 1)
        for i in 0..<n0 {
            gradient[0] -= s[i, i]
            for k in 0..<n0 { hessian[0, 0] += s[i, k] * s[i, k] }
        }
        for a in 0..<count {
            let (pa, ha) = (reduction.products[a], reduction.sums[a] / 2)
            gradient[a + 1] = -(pa * q[a, a] - 2 * ha * sr[e[a], a] + s[e[a], e[a]])
            // tr(A_ρ S A_a S) = tr(C_a Y_a), Y_a the Gram matrix of E₀ᵀ S U_a.
            var y11 = 0.0, y12 = 0.0, y22 = 0.0
            for i in 0..<n0 {
                let u = sr[i, a], v = s[i, e[a]]
                y11 += u * u
                y12 += u * v
                y22 += v * v
            }
            hessian[a + 1, 0] = pa * y11 - 2 * ha * y12 + y22
            for b in 0...a {
                let (pb, hb) = (reduction.products[b], reduction.sums[b] / 2)
                // K = U_aᵀ S U_b; tr(C_a K C_b Kᵀ).
                let k11 = q[a, b], k12 = sr[e[b], a], k21 = sr[e[a], b], k22 = s[e[a], e[b]]
                let x11 = pa * k11 - ha * k21, x12 = pa * k12 - ha * k22
                let x21 = -ha * k11 + k21, x22 = -ha * k12 + k22
                let y11 = pb * k11 - hb * k12, y12 = pb * k21 - hb * k22
                let y21 = -hb * k11 + k12, y22 = -hb * k21 + k22
                hessian[a + 1, b + 1] = x11 * y11 + x12 * y21 + x21 * y12 + x22 * y22
            }
        }
        hessian.mirrorLowerTriangle()
        return (gradient, hessian)
    }
}
