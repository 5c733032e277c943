import Tensor

extension LipschitzAnalyzer {
    func compute(chain: SlopeChain, method: LipschitzMethod, options: LipschitzOptions, isLocal: Bool) throws
        -> LipschitzResult
    {
        let clock = ContinuousClock.now
        let folded = chain.slopeFoldedMatrices()
        let foldedNorms = folded.enumerated().map { SpectralNormBound.upperBound($1, seed: options.seed &+ UInt64($0)) }
        var details: [String: String] = ["lmiSize": "\(chain.widths.reduce(0, +))",
                                          "widths": chain.widths.map(String.init).joined(separator: "-")]
        func finish(_ rho: Double, margin: Double, shift: Double, iterations: Int) -> LipschitzResult {
            let seconds = Double((ContinuousClock.now - clock).components.attoseconds) * 1e-18
                + Double((ContinuousClock.now - clock).components.seconds)
            return LipschitzResult(bound: SpectralNormBound.roundedUpSquareRoot(rho), method: method, margin: margin,
                                   roundingShift: shift, iterations: iterations, seconds: seconds, isLocal: isLocal,
                                   details: details)
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

        // LipSDP: original weights and slopes; multipliers transferred from the folded point (t / β²).
        let matrices = chain.operators.map { $0.materialized() }
        let norms = matrices.enumerated().map { SpectralNormBound.upperBound($1, seed: options.seed &+ UInt64($0)) }
        let lmi = LipschitzLMI(chain: chain, matrices: matrices, normBounds: norms)
        let transferred = zip(broadcast, chain.beta).map { t, b in zip(t, b).map { $1 > 0 ? $0 / ($1 * $1) : $0 } }
        let start = lmi.polish(t: transferred, tau: zeroTau, rhoHint: composed.rho * 1.01, seed: options.seed)
            ?? CertifiedPoint(rho: composed.rho, t: transferred, tau: zeroTau, shift: composed.shift,
                              estimate: rho0)
        let solver = ExactPenaltySolver(lmi: lmi, options: options, perLayer: method == .lipsdpLayer)
        let outcome = solver.solve(start: start, clock: clock)
        details["checks"] = "\(outcome.checks)"
        details["penaltyEstimate"] = "\(outcome.lastPenaltyValue.squareRoot())"
        let best = outcome.best
        return finish(best.rho, margin: best.rho / best.estimate - 1, shift: best.shift, iterations: outcome.iterations)
    }
}
