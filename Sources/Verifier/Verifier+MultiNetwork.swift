extension Verifier {
    /// Verifies a multi-network query on its product network.
    ///
    /// For an equivalence query between two networks of one structure (``DifferentialScreen``), each node of the
    /// product's search is also checked against certified bounds on `g − f` over its box (difference propagation):
    /// a node they refute closes even when the product network's own bounds, which lose the correlation between
    /// the two networks, leave it open (``NodeProcessor``).
    ///
    /// `proven` comes from proofs only (the product problem's, whose boxes contain every input satisfying the
    /// ties). `violated` is returned only when ``MultiNetworkProblem/confirm(_:)`` confirms the product's
    /// counterexample on every network separately; the counterexample is then over the query's variables.
    /// Otherwise the verdict is `unknown`.
    public func verify(_ problem: MultiNetworkProblem) throws(VerifierError) -> VerificationResult {
        mapped(try verify(searched(problem)), problem)
    }

    /// ``verify(_:)-(MultiNetworkProblem)`` resumed from the leaves of a search trace of the product problem.
    public func verify(_ problem: MultiNetworkProblem, startingFrom leaves: [SearchLeaf]) throws(VerifierError)
        -> VerificationResult
    {
        mapped(try verify(searched(problem), startingFrom: leaves), problem)
    }

    /// The product problem, with the differential screen as its difference refuter where it applies (and
    /// ``VerificationOptions/differentialScreen`` is on).
    private func searched(_ problem: MultiNetworkProblem) -> VerificationProblem {
        var product = problem.product
        if options.differentialScreen { product.differenceRefuter = DifferentialScreen(problem) }
        return product
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
