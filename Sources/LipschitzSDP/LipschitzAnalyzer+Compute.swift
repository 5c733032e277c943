import Tensor

extension LipschitzAnalyzer {
    func compute(chain full: SlopeChain, method: LipschitzMethod, options: LipschitzOptions, isLocal: Bool) throws
        -> LipschitzResult
    {
        let clock = ContinuousClock.now
        let deadline = Deadline.after(seconds: options.timeLimit)
        var folded = FoldedChain(full.withoutInactiveNeurons(), seed: options.seed, deadline: deadline)
        let widths = folded.chain.widths
        var details: [String: String] = ["lmiSize": "\(widths.reduce(0, +))",
                                          "widths": widths.map(String.init).joined(separator: "-")]
        func finish(_ rho: Double, margin: Double, shift: Double, iterations: Int, dual: Double? = nil)
            -> LipschitzResult
        {
            let seconds = (ContinuousClock.now - clock).seconds
            var result = LipschitzResult(
                bound: SpectralNormBound.roundedUpSquareRoot(rho), method: method, margin: margin, roundingShift: shift,
                iterations: iterations, seconds: seconds, isLocal: isLocal, optimumLowerBound: dual.map { $0.squareRoot() },
                details: details)
            if !isLocal { result.neuronScales = folded.scales }
            return result
        }
        let naive = folded.naive
        if method == .naive { return finish(naive, margin: 0, shift: 0, iterations: 0) }
        if folded.chain.alpha.isEmpty {
            // No activation left (a linear network, or a segment between max pools): the certified spectral
            // norm is the constant itself, and the matrix inequalities have nothing to relax.
            details["linear"] = "no activation: the certified spectral norm"
            return finish(naive, margin: 0, shift: 0, iterations: 0)
        }
        /// The naive bound when the time limit ends the run before anything tighter is certified.
        func outOfTime(_ stage: String) -> LipschitzResult {
            details["timeLimit"] = "reached during \(stage): the bound is the naive product of certified norms"
            return finish(naive, margin: 0, shift: 0, iterations: 0)
        }

        // Compositional point, certified on the slope-folded chain (all activations in [0, 1]).
        var start: CompositionalPoint
        do {
            start = try folded.compositional(seed: options.seed, deadline: deadline)
        } catch {
            let stage = error == .recursion ? "the compositional recursion" : "the compositional point's certification"
            if deadline.hasPassed { return outOfTime(stage) }
            let reason = error == .recursion ? "compositional recursion broke down" : "compositional point not certified"
            throw LipschitzError.certificationFailed(method: method, reason: reason)
        }
        (folded, start) = Self.bestCoordinates(folded, start, full: full, options: options, isLocal: isLocal,
                                               deadline: deadline)
        if folded.scales != nil { details["balanced"] = "yes" }
        let chain = folded.chain
        let composed = start.certified
        details["compositional"] = "\(composed.rho.squareRoot())"
        if method == .compositional || deadline.hasPassed {
            if method != .compositional {
                details["timeLimit"] = "reached before the first-order solver: the bound is the compositional one"
            }
            return finish(composed.rho, margin: composed.rho / start.estimate - 1, shift: composed.shift, iterations: 0)
        }

        // LipSDP: original weights and slopes; multipliers transferred from the folded point (t / β²). Stage 1
        // solves the relaxation α = 0 (slopes [0, β], where the transferred point is feasible); when some
        // neurons have α > 0 (stably active ones), stage 2 continues on the exact slopes from stage 1's
        // multipliers, and the smaller certified value is kept — unless the exact stage is solved on its
        // fixed-slope reduction, which needs no such start (needsRelaxedStage).
        let matrices = chain.operators.map { $0.materialized() }
        let norms = matrices.enumerated().map {
            SpectralNormBound.upperBound($1, seed: options.seed &+ UInt64($0), deadline: deadline)
        }
        let zeroTau = chain.alpha.map { $0.map { _ in 0.0 } }
        let relaxedChain = SlopeChain(operators: chain.operators, alpha: zeroTau, beta: chain.beta)
        let transferred = zip(start.multipliers, chain.beta).map { t, b in zip(t, b).map { $1 > 0 ? $0 / ($1 * $1) : $0 } }
        let fallback = CertifiedPoint(rho: composed.rho, t: transferred, tau: zeroTau, shift: composed.shift,
                                      estimate: start.estimate)
        let tighter = PrefixRedundancy.weights(
            folded: folded.matrices, norms: folded.norms, beta: chain.beta, prefixes: start.prefixes, seed: options.seed,
            deadline: deadline)
        var total = 0, checks = 0, cycles = 0
        var dual: Double?
        var best = fallback
        var penaltyEstimate = composed.rho
        // Each stage's LMI with, for LipSDP-Neuron, its fixed-slope reduction (built once: it decides the stages
        // and is solved on).
        func stage(_ c: SlopeChain) -> (lmi: LipschitzLMI, reduction: FixedSlopeReduction?) {
            let lmi = LipschitzLMI(chain: c, matrices: matrices, normBounds: norms, tighterRedundancy: tighter)
            return (lmi, method == .lipsdpNeuron ? FixedSlopeReduction(lmi) : nil)
        }
        let exact = stage(chain)
        let stages = Self.needsRelaxedStage(chain, exact.reduction, options: options) ? [stage(relaxedChain), exact] : [exact]
        var stagesRun = 0
        for (lmi, reduction) in stages where !deadline.hasPassed {
            stagesRun += 1
            let start = lmi.polish(
                t: best.t, tau: best.tau, rhoHint: best.rho * 1.01, seed: options.seed, deadline: deadline)
                ?? CertifiedPoint(rho: best.rho, t: best.t, tau: best.tau, shift: best.shift, estimate: best.estimate)
            details["penaltyConstant"] = "\(lmi.penalty)"
            let outcome = solve(lmi, reduction: reduction, from: start, method: method, options: options,
                                deadline: deadline, details: &details)
            total += outcome.iterations
            checks += outcome.checks
            cycles += outcome.cycles
            // Only the last stage's problem (the exact slopes) is the one whose optimum is bounded below.
            dual = outcome.dual
            if outcome.best.rho < best.rho {
                best = outcome.best
                penaltyEstimate = outcome.lastPenaltyValue
            }
        }
        if deadline.hasPassed { details["timeLimit"] = "reached: the best bound certified by then" }
        // A dual value of the relaxed stage bounds the relaxed optimum only, not the exact-slope one.
        if stagesRun < stages.count { dual = nil }
        details["checks"] = "\(checks)"
        details["cycles"] = "\(cycles)"
        details["penaltyEstimate"] = "\(penaltyEstimate.squareRoot())"
        return finish(best.rho, margin: best.rho / best.estimate - 1, shift: best.shift, iterations: total,
                      dual: dual.map { min($0, best.rho) })
    }

    /// Whether the exact-slope LMI is better started from the relaxation α = 0 (stage 1): when some neuron has
    /// α > 0, unless LipSDP-Neuron solves the exact LMI directly on its fixed-slope `reduction` by the
    /// interior-point method (small enough), which needs no better start than the transferred point.
    private static func needsRelaxedStage(
        _ chain: SlopeChain, _ reduction: FixedSlopeReduction?, options: LipschitzOptions
    ) -> Bool {
        guard chain.alpha.contains(where: { $0.contains { $0 > 0 } }) else { return false }
        guard let reduction else { return true }
        return reduction.dimension > options.interiorPointDimension
    }

    /// The chain to solve on, among `folded` and the rescaled chains that compute the same function
    /// (SlopeChain+Balancing.swift): the balanced one, and for a global bound the one in another network's
    /// coordinates (`options.neuronScales`), with its compositional point. The smallest compositional point wins:
    /// its LMI is the better scaled one — LipSDP-Layer's optimum is smaller there, and LipSDP-Neuron's (the same
    /// on all) is reached sooner. On ACAS Xu, whose input normalisation leaves incoming weights far smaller than
    /// outgoing ones, the balanced chain wins; on MNIST-FC and random nets the plain one does.
    private static func bestCoordinates(
        _ folded: FoldedChain, _ start: CompositionalPoint, full: SlopeChain, options: LipschitzOptions,
        isLocal: Bool, deadline: Deadline
    ) -> (FoldedChain, CompositionalPoint) {
        var candidates: [(chain: SlopeChain, scales: [[Double]])] = []
        if options.balancing, let balanced = folded.chain.balanced() { candidates.append(balanced) }
        if !isLocal, let scales = options.neuronScales, let chain = full.rescaled(by: scales) {
            candidates.append((chain, scales))
        }
        var best = (folded, start)
        for candidate in candidates where !deadline.hasPassed {
            let other = FoldedChain(candidate.chain, scales: candidate.scales, seed: options.seed, deadline: deadline)
            if let point = try? other.compositional(seed: options.seed, deadline: deadline),
                point.certified.rho < best.1.certified.rho
            {
                best = (other, point)
            }
        }
        return best
    }

    /// One stage's LMI solved from `start`: by an interior-point method when it is small enough
    /// (``LipschitzOptions/interiorPointDimension``, LipSDP-Neuron) — on its ``FixedSlopeReduction`` when some
    /// neurons have a fixed slope (their multipliers would have to grow without bound on the full LMI), else on
    /// the full LMI —, by the first-order solver otherwise, and also when the interior-point run fails or ends
    /// before its gap closes (from the better start; the better certified point and the larger dual value are
    /// kept).
    /// `reduction`: the LMI's ``FixedSlopeReduction`` (LipSDP-Neuron only; nil when no neuron has a fixed slope).
    private func solve(
        _ lmi: LipschitzLMI, reduction: FixedSlopeReduction?, from start: CertifiedPoint, method: LipschitzMethod,
        options: LipschitzOptions, deadline: Deadline, details: inout [String: String]
    ) -> ExactPenaltySolver.Outcome {
        let small = method == .lipsdpNeuron
        var interior: (outcome: ExactPenaltySolver.Outcome, converged: Bool)?
        var name = "interior-point"
        if let reduction, reduction.dimension <= options.interiorPointDimension {
            interior = ReducedInteriorPointSolver(reduction: reduction, options: options)
                .solve(start: start, deadline: deadline)
            name = "interior-point on the fixed-slope reduction"
        } else if small, reduction == nil, lmi.dimension <= options.interiorPointDimension {
            interior = InteriorPointSolver(lmi: lmi, options: options).solve(start: start, deadline: deadline)
        }
        if let interior {
            details["interiorPointSteps"] = "\(interior.outcome.iterations)"
            details["solver"] = interior.converged ? name : name + ", then first-order"
            if interior.converged { return interior.outcome }
        }
        let from = interior.map { $0.outcome.best.rho < start.rho ? $0.outcome.best : start } ?? start
        var outcome = ExactPenaltySolver(lmi: lmi, options: options, perLayer: method == .lipsdpLayer)
            .solve(start: from, deadline: deadline)
        if let other = interior?.outcome {
            if other.best.rho < outcome.best.rho { outcome.best = other.best }
            if let d = other.dual, d > outcome.dual ?? -.infinity { outcome.dual = d }
        }
        return outcome
    }
}
