import Tensor

extension LipschitzAnalyzer {
    func compute(chain full: SlopeChain, method: LipschitzMethod, options: LipschitzOptions, isLocal: Bool) throws
        -> LipschitzResult
    {
        let chain = full.withoutInactiveNeurons()
        let clock = ContinuousClock.now
        let folded = chain.slopeFoldedMatrices()
        let foldedNorms = folded.enumerated().map { SpectralNormBound.upperBound($1, seed: options.seed &+ UInt64($0)) }
        var details: [String: String] = ["lmiSize": "\(chain.widths.reduce(0, +))",
                                          "widths": chain.widths.map(String.init).joined(separator: "-")]
        func finish(_ rho: Double, margin: Double, shift: Double, iterations: Int, dual: Double? = nil)
            -> LipschitzResult
        {
            let seconds = (ContinuousClock.now - clock).seconds
            return LipschitzResult(bound: SpectralNormBound.roundedUpSquareRoot(rho), method: method, margin: margin,
                                   roundingShift: shift, iterations: iterations, seconds: seconds, isLocal: isLocal,
                                   optimumLowerBound: dual.map { $0.squareRoot() }, details: details)
        }
        if method == .naive {
            let product = foldedNorms.reduce(1.0) { $0 * $1 * (1 + 4 * Rounding.unit) }
            return finish(product * product * (1 + 4 * Rounding.unit), margin: 0, shift: 0, iterations: 0)
        }

        // Compositional point, certified on the slope-folded chain (all activations in [0, 1]).
        let foldedChain = SlopeChain(
            operators: folded.map { AffineOperator(dense: $0) }, alpha: chain.alpha.map { $0.map { _ in 0 } },
            beta: chain.beta.map { $0.map { _ in 1 } })
        let foldedLMI = LipschitzLMI(chain: foldedChain, matrices: folded, normBounds: foldedNorms)
        guard let (rho0, layerT) = CompositionalBound.point(folded, seed: options.seed) else {
            throw LipschitzError.certificationFailed(method: method, reason: "compositional recursion broke down")
        }
        let zeroTau = chain.alpha.map { $0.map { _ in 0.0 } }
        let broadcast = zip(layerT, chain.alpha).map { t, a in a.map { _ in t } }
        guard let composed = foldedLMI.polish(t: broadcast, tau: zeroTau, rhoHint: rho0 * 1.01, seed: options.seed)
        else {
            throw LipschitzError.certificationFailed(method: method, reason: "compositional point not certified")
        }
        details["compositional"] = "\(composed.rho.squareRoot())"
        if method == .compositional {
            return finish(composed.rho, margin: composed.rho / rho0 - 1, shift: composed.shift, iterations: 0)
        }

        // LipSDP: original weights and slopes; multipliers transferred from the folded point (t / β²). Stage 1
        // solves the relaxation α = 0 (slopes [0, β], where the transferred point is feasible); when some
        // neurons have α > 0 (stably active ones), stage 2 continues on the exact slopes from stage 1's
        // multipliers, and the smaller certified value is kept.
        let matrices = chain.operators.map { $0.materialized() }
        let norms = matrices.enumerated().map { SpectralNormBound.upperBound($1, seed: options.seed &+ UInt64($0)) }
        let relaxedChain = SlopeChain(operators: chain.operators, alpha: zeroTau, beta: chain.beta)
        let transferred = zip(broadcast, chain.beta).map { t, b in zip(t, b).map { $1 > 0 ? $0 / ($1 * $1) : $0 } }
        let fallback = CertifiedPoint(rho: composed.rho, t: transferred, tau: zeroTau, shift: composed.shift,
                                      estimate: rho0)
        let tighter = PrefixRedundancy.weights(folded: folded, norms: foldedNorms, beta: chain.beta, seed: options.seed)
        var total = 0, checks = 0, cycles = 0
        var dual: Double?
        var best = fallback
        var penaltyEstimate = composed.rho
        let stages = chain.alpha.contains { $0.contains { $0 > 0 } } ? [relaxedChain, chain] : [chain]
        for stageChain in stages {
            let lmi = LipschitzLMI(chain: stageChain, matrices: matrices, normBounds: norms,
                                   tighterRedundancy: tighter)
            let start = lmi.polish(t: best.t, tau: best.tau, rhoHint: best.rho * 1.01, seed: options.seed)
                ?? CertifiedPoint(rho: best.rho, t: best.t, tau: best.tau, shift: best.shift, estimate: best.estimate)
            details["penaltyConstant"] = "\(lmi.penalty)"
            let solver = ExactPenaltySolver(lmi: lmi, options: options, perLayer: method == .lipsdpLayer)
            let outcome = solver.solve(start: start, clock: clock)
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
        details["checks"] = "\(checks)"
        details["cycles"] = "\(cycles)"
        details["penaltyEstimate"] = "\(penaltyEstimate.squareRoot())"
        return finish(best.rho, margin: best.rho / best.estimate - 1, shift: best.shift, iterations: total,
                      dual: dual.map { min($0, best.rho) })
    }
}
