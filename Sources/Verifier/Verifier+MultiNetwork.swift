extension Verifier {
    /// Verifies a multi-network query on its product network.
    ///
    /// `proven` comes from the product problem's proof (the product's boxes contain every input satisfying the
    /// ties). `violated` is returned only when ``MultiNetworkProblem/confirm(_:)`` confirms the product's
    /// counterexample on every network separately; the counterexample is then over the query's variables.
    /// Otherwise the verdict is `unknown`.
    public func verify(_ problem: MultiNetworkProblem) throws(VerifierError) -> VerificationResult {
        mapped(try verify(problem.product), problem)
    }

    /// ``verify(_:)-(MultiNetworkProblem)`` resumed from the leaves of a search trace of the product problem.
    public func verify(_ problem: MultiNetworkProblem, startingFrom leaves: [SearchLeaf]) throws(VerifierError)
        -> VerificationResult
    {
        mapped(try verify(problem.product, startingFrom: leaves), problem)
    }

    private func mapped(_ result: VerificationResult, _ problem: MultiNetworkProblem) -> VerificationResult {
        guard case let .violated(witness) = result.verdict else { return result }
        var out = result
        out.verdict = problem.confirm(witness).map(Verdict.violated)
            ?? .unknown(
                reason: "the product network's counterexample was not confirmed on every network separately "
                    + "(Float64, Float32 and stored-graph passes)")
        return out
    }
}
