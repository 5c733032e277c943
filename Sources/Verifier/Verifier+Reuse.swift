extension Verifier {
    /// Verifies `problem` starting from a search trace of the same property — recorded on this network (a replay)
    /// or on another network of the same layer structure, such as the original of a pruned or quantised copy
    /// (proof reuse after IVAN, Ugare et al., PLDI 2023).
    ///
    /// The trace's counterexample, if it has one, is checked on this network first (``WitnessCheck``): a sat of
    /// the original that still holds is found at once. Otherwise the search starts from the trace's leaves —
    /// from the top of each subtree of ReLU splits, following the original's split order there (``TraceTree``,
    /// ``ReusePlan``) — adapted to this network (``ProofReuse``: splits of neurons it does not have are dropped,
    /// boxes clipped to the case), instead of the cases' roots. When the trace is a proof (its outcome
    /// ``SearchTrace/Outcome/proven``), the falsification of every case before the search samples the box but
    /// runs no gradient attack: the copy is most likely still safe (and a violation that sampling misses is still
    /// found by the complete search: each node's bound minimisers are checked, and a short attack runs every
    /// ``AttackOptions/nodeInterval`` nodes). Soundness does not depend on the trace: every leaf is bounded again
    /// on this network, leaves that no longer close are split further, and a case the leaves do not provably
    /// cover (``LeafCover``) is also searched from its root — a partial, foreign or tampered trace costs time,
    /// never a wrong ``Verdict/proven``.
    /// - Throws: ``VerifierError/incompatibleTrace(_:)`` when the trace names another property or a network with
    ///   another number of inputs; the errors of ``verify(_:)-(VerificationProblem)``.
    public func verify(_ problem: VerificationProblem, reusing trace: SearchTrace) throws(VerifierError)
        -> VerificationResult
    {
        try reuse(problem, origin: trace.origin, outcome: trace.outcome, witness: trace.witness) { trace }
    }

    /// Verifies `problem` starting from a trace read as JSON lines, as ``verify(_:reusing:)-(_,SearchTrace)`` does,
    /// decoding its node records only if the search needs them: a counterexample found by the trace's own
    /// witness or the first sampling (a copy that lost the property) costs no decoding of a long proof.
    /// - Throws: the errors of ``verify(_:reusing:)-(_,SearchTrace)``; ``VerifierError/unreadableTrace(_:)`` when
    ///   a node record does not decode (found only when the search starts).
    public func verify(_ problem: VerificationProblem, reusing lines: SearchTrace.Lines) throws(VerifierError)
        -> VerificationResult
    {
        let header = lines.header
        return try reuse(problem, origin: header.origin, outcome: header.outcome, witness: header.witness) {
            () throws(VerifierError) in
            do throws(TraceError) { return try lines.decoded() } catch { throw .unreadableTrace(error) }
        }
    }

    /// Checks the trace's origin, then runs from the trace's leaves, which `trace` gives only once the
    /// falsification before the search has failed.
    private func reuse(
        _ problem: VerificationProblem, origin: SearchTrace.Origin?, outcome: SearchTrace.Outcome?,
        witness: SearchTrace.Witness?, trace: @escaping () throws(VerifierError) -> SearchTrace
    ) throws(VerifierError) -> VerificationResult {
        if let origin { try ProofReuse.check(origin, problem) }
        return try run(
            problem,
            resuming: { () throws(VerifierError) in
                let reuse = try ProofReuse(trace: try trace(), problem: problem)
                return Resumption(
                    leaves: reuse.leaves, plans: reuse.starts.map(\.plan), groups: reuse.starts.map(\.group))
            },
            hint: witness, rootRestarts: outcome == .proven ? 0 : nil)
    }

    /// Verifies `problem` from `trace` when it fits (``verify(_:reusing:)``), from scratch when there is none or it
    /// does not (another property, another input count: ``VerifierError/incompatibleTrace(_:)`` is not thrown).
    /// - Throws: the errors of ``verify(_:)-(VerificationProblem)``.
    public func verify(_ problem: VerificationProblem, reusingIfCompatible trace: SearchTrace?) throws(VerifierError)
        -> VerificationResult
    {
        guard let trace else { return try verify(problem) }
        do {
            return try verify(problem, reusing: trace)
        } catch {
            guard case .incompatibleTrace = error else { throw error }
            return try verify(problem)
        }
    }

    /// Verifies `problem` from the best trace `cache` holds for it (``ProofCache/lookup(_:)``: this network's own
    /// trace, else another network's decided trace of the same property), else from `fallback` (e.g. the original's
    /// proof, when the cache has none), else from scratch, then stores this run's trace in the cache (decided runs
    /// only, ``ProofCache/store(_:)``). A cache that cannot be written leaves the result unaffected; use
    /// ``ProofCache/store(_:)`` directly to see why. The result carries the trace only when
    /// ``SearchOptions/recordsTrace`` is set.
    /// - Throws: the errors of ``verify(_:)-(VerificationProblem)``.
    public func verify(_ problem: VerificationProblem, cache: ProofCache, fallback: SearchTrace? = nil)
        throws(VerifierError) -> VerificationResult
    {
        var recording = self
        recording.options.search.recordsTrace = true
        var result = try recording.verify(problem, cached: cache.lookup(problem), fallback: fallback)
        if let trace = result.trace { _ = try? cache.store(trace) }
        if !options.search.recordsTrace { result.trace = nil }
        return result
    }

    /// Verifies `problem` from `entry`, else from `fallback`, else from scratch: an entry that turns out not to
    /// fit or not to decode is skipped (the cache is advisory).
    private func verify(_ problem: VerificationProblem, cached entry: ProofCache.Entry?, fallback: SearchTrace?)
        throws(VerifierError) -> VerificationResult
    {
        guard let entry else { return try verify(problem, reusingIfCompatible: fallback) }
        do {
            return try verify(problem, reusing: entry.trace)
        } catch {
            switch error {
            case .incompatibleTrace, .unreadableTrace: return try verify(problem, reusingIfCompatible: fallback)
            default: throw error
            }
        }
    }

    /// The counterexample at `hint`'s input for some case and disjunct of `problem` (the hint's own first), or nil.
    static func confirmed(_ hint: SearchTrace.Witness, _ problem: VerificationProblem, witness: WitnessCheck)
        -> Counterexample?
    {
        let cases = [hint.caseIndex] + problem.cases.indices.filter { $0 != hint.caseIndex }
        for k in cases where problem.cases.indices.contains(k) {
            let c = problem.cases[k]
            guard hint.input.count == c.box.dimension else { continue }
            let first = k == hint.caseIndex && c.regions.indices.contains(hint.disjunctIndex) ? [hint.disjunctIndex] : []
            for r in first + c.regions.indices.filter({ !first.contains($0) }) {
                if let cex = witness.confirm(
                    hint.input, box: c.box, inputRegion: c.inputRegion, region: c.regions[r], caseIndex: k,
                    disjunctIndex: r)
                {
                    return cex
                }
            }
        }
        return nil
    }
}
