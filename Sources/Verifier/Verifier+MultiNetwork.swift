extension Verifier {
    /// Verifies a multi-network query on its product network.
    ///
    /// An equivalence query between two networks of one structure first goes through ``DifferentialScreen``:
    /// cases it proves from certified bounds on `g − f` are closed without the product network (within half the
    /// time limit). The rest is verified on the product network.
    ///
    /// `proven` comes from proofs only (the screen's, or the product problem's: the product's boxes contain every
    /// input satisfying the ties). `violated` is returned only when ``MultiNetworkProblem/confirm(_:)`` confirms
    /// the product's counterexample on every network separately; the counterexample is then over the query's
    /// variables. Otherwise the verdict is `unknown`.
    public func verify(_ problem: MultiNetworkProblem) throws(VerifierError) -> VerificationResult {
        let start = ContinuousClock.now
        let open = screened(problem)
        guard !open.isEmpty else {
            var statistics = VerificationStatistics()
            statistics.seconds = (ContinuousClock.now - start).seconds
            return VerificationResult(verdict: .proven, statistics: statistics)
        }
        var remaining = self
        remaining.options.timeout = Swift.max(0.001, options.timeout - (ContinuousClock.now - start).seconds)
        let product = try VerificationProblem(
            network: problem.product.network, cases: open.map { problem.product.cases[$0] },
            reference: problem.product.reference)
        var result = try remaining.verify(product)
        result.statistics.seconds = (ContinuousClock.now - start).seconds
        if case .violated(var witness) = result.verdict {
            witness.caseIndex = open[witness.caseIndex]
            result.verdict = .violated(witness)
        }
        return mapped(result, problem)
    }

    /// ``verify(_:)-(MultiNetworkProblem)`` resumed from the leaves of a search trace of the product problem.
    public func verify(_ problem: MultiNetworkProblem, startingFrom leaves: [SearchLeaf]) throws(VerifierError)
        -> VerificationResult
    {
        mapped(try verify(problem.product, startingFrom: leaves), problem)
    }

    /// The indices of the product's cases the differential screen did not prove (all of them when it does not
    /// apply).
    private func screened(_ problem: MultiNetworkProblem) -> [Int] {
        let cases = problem.product.cases
        guard options.differentialScreen, let screen = DifferentialScreen(problem) else { return Array(cases.indices) }
        let deadline = ContinuousClock.now + .seconds(options.timeout / 2)
        return cases.indices.filter { k in
            !screen.proves(cases[k].box, regions: cases[k].regions, maxLeaves: 10_000, deadline: deadline)
        }
    }

    private func mapped(_ result: VerificationResult, _ problem: MultiNetworkProblem) -> VerificationResult {
        guard case let .violated(witness) = result.verdict else { return result }
        var out = result
        out.verdict = problem.confirm(witness).map(Verdict.violated)
            ?? .unknown(
                reason: "the product network's counterexample was not confirmed on every network separately "
                    + "(Float64, Float32 and stored-graph passes)")
        if case .violated(let cex) = out.verdict,
           let i = Self.nonFloat16(cex.input, problem.specification.float16Inputs) {
            out.verdict = .unknown(reason: "the counterexample's input \(i) is declared float16 but is not a Float16 value")
        }
        return out
    }
}
