import Foundation
import Tensor

/// First-order LipSDP solver on the exact-penalty eigenvalue form:
///
///     minimise F(ρ,T,τ) = ρ + c·max(0, λ_max(M(ρ,T,τ)))   over ρ, T, τ > 0,   c = 1 + Σw
///
/// with a subgradient from the top eigenvector (Lanczos with full reorthogonalisation, warm-started from the
/// previous eigenvector, matrix-free products with the block-tridiagonal M) and Adam steps on log-parameters
/// with a linearly decaying step (as in LipDiff, Wang et al., ICLR 2024). Every `checkInterval` iterations the
/// current multipliers are polished and certified (exact ρ for fixed T, τ by block Cholesky) and the top
/// eigenvectors met since are turned into a dual-feasible point (``LipschitzLMI/dualBound``), a lower bound on
/// the optimum. The best certified ρ and the best dual value are kept; the run stops as soon as the duality gap
/// is below `gapTolerance`. Otherwise a cycle (one linear decay of the step) ends when the certified ρ stalls,
/// and the next cycle, twice as long, restarts from the best certified point with a fresh scaling, while the
/// gap stays open, cycles still gain, and time remains. No dense N×N factorisation happens in the iteration.
struct ExactPenaltySolver {
    let lmi: LipschitzLMI
    let options: LipschitzOptions
    /// True for LipSDP-Layer: one multiplier per layer (T and τ shared across a layer's neurons).
    let perLayer: Bool
    /// Floor of the hidden-block scaling relative to the largest starting multiplier of its layer.
    static let scaleFloor = 1e-6
    /// Largest fraction of ρ that the τ floor may add to the input block (wᵀτ).
    static let loadFloor = 1e-2
    /// A new cycle starts only if the last one lowered the certified ρ by at least this fraction.
    static let minimumCycleGain = 1e-3
    /// Each cycle starts with this fraction of the previous cycle's first step.
    static let cycleStepDecay = 0.5
    /// Most recent top eigenvectors (with λ_max > 0) kept for the dual point.
    static let directionMemory = 80
    /// Trailing windows of those eigenvectors tried as dual points at a check (the best one counts).
    static let dualWindows = [5, 10, 20, 40, 80]

    struct Outcome {
        var best: CertifiedPoint
        var iterations: Int
        var checks: Int
        var lastPenaltyValue: Double
        /// The best lower bound on the LMI's optimal ρ from a dual-feasible point, or nil when none was found.
        var dual: Double?
        var cycles: Int

        /// Relative gap in L = √ρ between the certified bound and the dual lower bound on the optimum.
        var gap: Double? { dual.map { 1 - ($0 / best.rho).squareRoot() } }
    }

    func solve(start: CertifiedPoint, deadline: Deadline) -> Outcome {
        var outcome = Outcome(best: start, iterations: 0, checks: 0, lastPenaltyValue: start.rho, dual: nil,
                              cycles: 0)
        var vector = SymmetricEigen.randomVector(lmi.dimension, seed: options.seed)
        var length = options.iterations
        while outcome.cycles < options.cycles {
            let before = outcome.best.rho
            runCycle(length: length, outcome: &outcome, vector: &vector, deadline: deadline)
            outcome.cycles += 1
            if let gap = outcome.gap, gap <= options.gapTolerance { break }
            if deadline.hasPassed { break }
            if outcome.best.rho > before * (1 - Self.minimumCycleGain) { break }
            length *= 2
        }
        return outcome
    }

    /// One cycle of `length` iterations from `outcome.best`, updating the best certified point and dual value.
    private func runCycle(
        length: Int, outcome: inout Outcome, vector: inout [Double], deadline: Deadline
    ) {
        let start = outcome.best
        let firstRate = options.learningRate * pow(Self.cycleStepDecay, Double(outcome.cycles))
        let widths = Array(lmi.widths.dropFirst())
        // Congruence scaling D = blkdiag(s_0^{-1/2} I, diag(s)^{-1/2}) with s_0 = ρ, s = t at the start: M ⪯ 0
        // iff DMD ⪯ 0, and since M(ρ + μ(s_0 + wᵀs), T, τ + μs) = M(ρ,T,τ) − μD⁻², the exact penalty
        // becomes F = ρ + (s_0 + wᵀs)·max(0, λ_max(DMD)) (the form above with a scaled shift). It
        // balances blocks of very different magnitude (deep nets), where λ_max(M) only sees the largest block.
        let hiddenScale = start.t.map { layer in
            let floor = Self.scaleFloor * max(layer.max() ?? 1, Double.leastNormalMagnitude)
            return layer.map { max($0, floor) }
        }
        let scaling = [Double](repeating: 1 / start.rho.squareRoot(), count: lmi.widths[0])
            + hiddenScale.flatMap { $0.map { 1 / $0.squareRoot() } }
        let c = start.rho + zip(lmi.redundancy, hiddenScale).reduce(0) { acc, p in
            acc + zip(p.0, p.1).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var logRho = log(start.rho)
        // Floor of τ in the log-parametrisation: relative to T (scaleFloor·max t), but capped so that the
        // redundant load wᵀτ it adds stays below loadFloor·ρ (on deep nets w spans 15 decades, and a floor
        // relative to T alone made the start grossly infeasible).
        let tauFloor = max(min(Self.scaleFloor * (start.t.flatMap { $0 }.max() ?? 1),
                               Self.loadFloor * start.rho / max(lmi.penalty, 1)), Double.leastNormalMagnitude)
        var logT = start.t.map { $0.map { log(max($0, 1e-12)) } }
        var logTau = start.tau.map { $0.map { log(max($0, tauFloor)) } }
        var adam = AdamState(count: 1 + 2 * widths.reduce(0, +), epsilon: 1e-12)
        var lastF = start.rho
        var stalls = 0, iteration = 0
        var checkpoint = start.rho
        var directions: [[Double]] = []
        var polishCost = Duration.zero
        defer {
            outcome.iterations += iteration
            outcome.lastPenaltyValue = lastF
        }
        while iteration < length {
            iteration += 1
            let rho = exp(logRho)
            let t = logT.map { $0.map { exp($0) } }
            let tau = logTau.map { $0.map { exp($0) } }
            let (lambda, v) = SymmetricEigen.lanczosTop(dimension: lmi.dimension, steps: options.lanczosSteps,
                                                        start: vector) { x in
                let y = lmi.apply(zip(x, scaling).map { $0 * $1 }, rho: rho, t: t, tau: tau)
                return zip(y, scaling).map { $0 * $1 }
            }
            vector = v
            lastF = rho + c * max(0, lambda)
            var gradient = [Double](repeating: 0, count: adam.count)
            gradient[0] = rho
            if lambda > 0 {
                let direction = zip(v, scaling).map { $0 * $1 }
                directions.append(direction)
                if directions.count > Self.directionMemory { directions.removeFirst() }
                let g = lmi.gradient(direction)
                gradient[0] = rho * (1 + c * g.rho)
                var o = 1
                for h in widths.indices {
                    let layerT = perLayer ? zip(g.t[h], t[h]).reduce(0) { $0 + $1.0 * $1.1 } : 0
                    let layerTau = perLayer ? zip(g.tau[h], tau[h]).reduce(0) { $0 + $1.0 * $1.1 } : 0
                    for j in 0..<widths[h] {
                        gradient[o + j] = c * (perLayer ? layerT : g.t[h][j] * t[h][j])
                        gradient[o + widths[h] + j] = c * (perLayer ? layerTau : g.tau[h][j] * tau[h][j])
                    }
                    o += 2 * widths[h]
                }
            }
            let rate = firstRate * (1 - Double(iteration - 1) / Double(length))
            let step = adam.step(gradient, rate: rate)
            logRho -= step[0]
            var o = 1
            for h in widths.indices {
                for j in 0..<widths[h] {
                    logT[h][j] -= step[o + j]
                    logTau[h][j] -= step[o + widths[h] + j]
                }
                o += 2 * widths[h]
            }
            // Stop iterating early enough for the last polish (as long as the previous one) to finish on time.
            let timeUp = deadline.instant.map { ContinuousClock.now + polishCost >= $0 } ?? false
            if iteration % options.checkInterval == 0 || iteration == length || timeUp {
                outcome.checks += 1
                let tt = logT.map { $0.map { exp($0) } }
                let ttau = logTau.map { $0.map { exp($0) } }
                let polishStart = ContinuousClock.now
                defer { polishCost = ContinuousClock.now - polishStart }
                if let p = lmi.polish(t: tt, tau: ttau, rhoHint: max(lastF, outcome.best.rho), seed: options.seed,
                                      deadline: deadline),
                   p.rho < outcome.best.rho {
                    outcome.best = p
                }
                for window in Self.dualWindows where window <= max(directions.count, Self.dualWindows[0])
                    && !deadline.hasPassed {
                    if let d = lmi.dualBound(directions: Array(directions.suffix(window)), perLayer: perLayer),
                       d > (outcome.dual ?? -.infinity) {
                        outcome.dual = d
                    }
                }
                // Restart ρ from the exact minimiser for the current multipliers (the polished value).
                logRho = log(outcome.best.rho)
                if outcome.best.rho > checkpoint * (1 - options.tolerance) { stalls += 1 } else { stalls = 0 }
                checkpoint = min(checkpoint, outcome.best.rho)
                if let gap = outcome.gap, gap <= options.gapTolerance { break }
                if (stalls >= options.stallChecks && 5 * iteration >= 4 * length) || timeUp { break }
            }
        }
    }
}
