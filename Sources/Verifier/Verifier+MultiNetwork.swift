extension Verifier {
    /// Verifies a multi-network query on its product network.
    ///
    /// An equivalence query between two networks of one structure (``DifferentialScreen``) runs in three steps:
    /// the product network for a tenth of the time limit (at most 3 s: falsification finds most violations at
    /// once), then the screen, which proves cases from certified bounds on `g − f` alone (40% of the time limit),
    /// then the product network again on the cases left, with the time that remains.
    ///
    /// `proven` comes from proofs only (the screen's, or the product problem's: the product's boxes contain every
    /// input satisfying the ties). `violated` is returned only when ``MultiNetworkProblem/confirm(_:)`` confirms
    /// the product's counterexample on every network separately; the counterexample is then over the query's
    /// variables. Otherwise the verdict is `unknown`.
    public func verify(_ problem: MultiNetworkProblem) throws(VerifierError) -> VerificationResult {
        let start = ContinuousClock.now
        guard options.differentialScreen, let screen = DifferentialScreen(problem) else {
            return mapped(try verify(problem.product), problem)
        }
        // A short product run first: falsification finds most violations in milliseconds.
        var quick = self
        quick.options.timeout = Swift.min(3, options.timeout / 10)
        let first = try quick.verify(problem.product)
        if case .violated = first.verdict { return mapped(first, problem) }
        if first.verdict == .proven { return first }
        let open = screened(problem, screen, seconds: options.timeout * 0.4)
        var remaining = self
        remaining.options.timeout = Swift.max(0.001, options.timeout - (ContinuousClock.now - start).seconds)
        var result = VerificationResult(verdict: .proven, statistics: first.statistics)
        if !open.isEmpty {
            let product = try VerificationProblem(
                network: problem.product.network, cases: open.map { problem.product.cases[$0] },
                reference: problem.product.reference)
            result = try remaining.verify(product)
            if case .violated(var witness) = result.verdict {
                witness.caseIndex = open[witness.caseIndex]
                result.verdict = .violated(witness)
            }
            result.statistics.merge(first.statistics)
        }
        result.statistics.seconds = (ContinuousClock.now - start).seconds
        return mapped(result, problem)
    }

    /// ``verify(_:)-(MultiNetworkProblem)`` resumed from the leaves of a search trace of the product problem.
    public func verify(_ problem: MultiNetworkProblem, startingFrom leaves: [SearchLeaf]) throws(VerifierError)
        -> VerificationResult
    {
        mapped(try verify(problem.product, startingFrom: leaves), problem)
    }

    /// The indices of the product's cases the differential screen did not prove within `seconds` in all.
    private func screened(_ problem: MultiNetworkProblem, _ screen: DifferentialScreen, seconds: Double) -> [Int] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        return problem.product.cases.indices.filter { k in
            let left = (deadline - ContinuousClock.now).seconds
            return left <= 0 || !screen.proves(case: k, maxLeaves: 100_000, seconds: left)
        }
    }

    private func mapped(_ result: VerificationResult, _ problem: MultiNetworkProblem) -> VerificationResult {
        guard case let .violated(witness) = result.verdict else { return result }
        var out = result
        out.verdict = problem.confirm(witness).map(Verdict.violated)
            ?? .unknown(
                reason: "the product network's counterexample was not confirmed on every network separately "
                    + "(Float64, Float32 and stored-graph passes)")
        out.verdict = Self.requiringFloat16(out.verdict, at: problem.specification.float16Inputs)
        return out
    }
}
