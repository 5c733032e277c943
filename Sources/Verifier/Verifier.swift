import Branching
import Bounds
public import Network
import Tensor
public import VNNLib

/// Complete verification of a network against a property by branch and bound.
///
/// The run first tries to falsify the property (random sampling and PGD on every case), then searches: each
/// node is bounded by CROWN (intermediate bounds) and alpha-CROWN (final objective), checked against the
/// minimiser of its linear bound, sent to the triangle LP relaxation where bound propagation cannot decide it,
/// and otherwise split (input bisection for low-dimensional inputs, ReLU phases otherwise).
///
/// Soundness: ``Verdict/proven`` only when every node is closed by a certified bound (bound propagation with
/// outward rounding, or an LP's weak-duality bound evaluated independently of GLPK); ``Verdict/violated(_:)``
/// only with a counterexample that Float64 and Float32 forward passes confirm; anything doubtful is
/// ``Verdict/unknown(reason:)``.
///
/// ```swift
/// let network = try NetworkLoader.load(path: "net.onnx")
/// let spec = try Specification(contentsOfFile: "prop.vnnlib")
/// let result = try Verifier(options: VerificationOptions(timeout: 30)).verify(network: network, specification: spec)
/// if case .proven = result.verdict { print("holds") }
/// ```
public struct Verifier: Sendable {
    /// The settings.
    public var options: VerificationOptions

    /// A verifier with the given settings.
    public init(options: VerificationOptions = VerificationOptions()) { self.options = options }

    /// Verifies a VNN-LIB property (single network) against `network`.
    /// - Throws: ``VerifierError`` when the property's variables do not match the network, or the query needs
    ///   features verification does not support (several networks: see ``verify(_:)-(MultiNetworkProblem)``;
    ///   non-box input constraints; sigmoid/tanh).
    /// - Parameter reference: the model as stored (`NetworkLoader.loadWithReference`), replayed on every
    ///   counterexample; nil to confirm on `network` alone.
    public func verify(
        network: Network, specification: Specification, reference: (any ReferenceEvaluator)? = nil
    ) throws(VerifierError) -> VerificationResult {
        try verify(VerificationProblem(network: network, specification: specification, reference: reference))
    }

    /// Verifies a prepared problem.
    public func verify(_ problem: VerificationProblem) throws(VerifierError) -> VerificationResult {
        try run(problem, resuming: nil)
    }

    /// Resumes a search from given leaves (a trace's ``SearchTrace/leaves``, say): each leaf — part of a case's box
    /// under ReLU split decisions — is searched instead of the case's root.
    ///
    /// The property is proven only if every leaf closes *and* the leaves of each case cover it: sibling leaves
    /// must merge back to the case's box with no split (``LeafCover``). A case whose leaves do not provably cover
    /// it is also searched from its root, so a dropped or tampered leaf can cost time, never soundness.
    /// - Throws: ``VerifierError/invalidProperty(_:)`` for a leaf that does not belong to the problem (unknown case,
    ///   a box outside the case's, a split of a neuron that is not a ReLU of the network).
    public func verify(_ problem: VerificationProblem, startingFrom leaves: [SearchLeaf])
        throws(VerifierError) -> VerificationResult
    {
        try run(problem, resuming: { Resumption(leaves: leaves) })
    }

    /// Verifies `stated` from the cases' roots, or from the regions `resuming` gives — called only when the
    /// falsification before the search has found no counterexample, so that a trace is decoded only when its
    /// leaves are searched; `hint` (a counterexample of another run) is tried before anything else;
    /// `rootRestarts` replaces ``AttackOptions/restarts`` in the falsification of every case before the search (0:
    /// sampling only).
    func run(
        _ stated: VerificationProblem, resuming: (() throws(VerifierError) -> Resumption)?,
        hint: SearchTrace.Witness? = nil, rootRestarts: Int? = nil
    ) throws(VerifierError) -> VerificationResult {
        var result: VerificationResult
        if let elimination = OutputSoftmaxElimination(stated) {
            result = try search(elimination.logits, resuming: resuming, hint: hint, rootRestarts: rootRestarts)
            result.verdict = elimination.verdict(result.verdict, for: stated)
        } else {
            result = try search(stated, resuming: resuming, hint: hint, rootRestarts: rootRestarts)
        }
        result.verdict = Self.requiringFloat16(result.verdict, at: stated.float16Inputs)
        if let count = stated.reportedOutputCount, case .violated(var cex) = result.verdict {
            let hidden = count..<(count + stated.reportedHiddenCount)
            if !hidden.isEmpty { cex.hiddenValues = Array((cex.replayOutput ?? cex.outputFloat32)[hidden]) }
            cex.output = Array(cex.output.prefix(count))
            cex.outputFloat32 = Array(cex.outputFloat32.prefix(count))
            cex.replayOutput = cex.replayOutput.map { Array($0.prefix(count)) }
            result.verdict = .violated(cex)
        }
        if result.verdict == .proven, stated.cases.contains(where: \.isWindow) {
            result.verdict = .unknown(
                reason: "the query leaves inputs unbounded: no input in the searched window (radius "
                    + "\(VerificationProblem.windowRadius) around 0, or 2 from a finite bound) violates it, which proves "
                    + "nothing beyond the window")
        }
        if options.search.recordsTrace { Self.annotate(&result, stated) }
        return result
    }

    /// Fills the trace's header: the problem's ``SearchTrace/Origin``, the outcome and the counterexample (a run
    /// that ended before the search still gets a trace, without nodes).
    private static func annotate(_ result: inout VerificationResult, _ problem: VerificationProblem) {
        var trace = result.trace ?? SearchTrace()
        trace.origin = SearchTrace.Origin(problem)
        trace.outcome = SearchTrace.Outcome(result.verdict)
        if case .violated(let cex) = result.verdict {
            trace.witness = SearchTrace.Witness(
                caseIndex: cex.caseIndex, disjunctIndex: cex.disjunctIndex, input: cex.input)
        }
        result.trace = trace
    }

    /// `verdict`, except that a counterexample whose input is not a Float16 value at one of `coordinates` (inputs
    /// declared `float16`) becomes ``Verdict/unknown(reason:)``.
    static func requiringFloat16(_ verdict: Verdict, at coordinates: [Int]) -> Verdict {
        func isFloat16(_ x: Double) -> Bool { x.isFinite && Double(Float16(x)) == x }
        guard case .violated(let cex) = verdict, let i = coordinates.first(where: { !isFloat16(cex.input[$0]) })
        else { return verdict }
        return .unknown(reason: "the counterexample's input \(i) is declared float16 but is not a Float16 value")
    }

    private func search(
        _ stated: VerificationProblem, resuming: (() throws(VerifierError) -> Resumption)?,
        hint: SearchTrace.Witness?, rootRestarts: Int?
    ) throws(VerifierError) -> VerificationResult {
        // A network that clips its inputs is searched over the clipped boxes (witnesses map back, WitnessCheck).
        let problem = try InputClamp(network: stated.network).clamped(stated)
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64((Self.cappedTimeout(options.timeout) * 1000).rounded(.down)))
        let policy: BranchingPolicy
        do {
            policy = try options.branchingPolicy(for: problem.network)
        } catch {
            throw .unsupportedOption(error.description)
        }
        let propagator: BoundPropagator
        do {
            propagator = try BoundPropagator(network: problem.network)
        } catch {
            throw .unsupportedNetwork("\(error)")
        }
        var statistics = VerificationStatistics()
        func finish(_ verdict: Verdict) -> VerificationResult {
            statistics.seconds = (ContinuousClock.now - start).seconds
            return VerificationResult(verdict: verdict, statistics: statistics)
        }
        // Falsification first: many sat instances fall to sampling and PGD in milliseconds. Low-dimensional
        // inputs (those input splitting handles) get 16 times the samples: they are cheap to evaluate and dense
        // sampling covers their box (ACAS Xu 1_9 prop_7: 0.12% of face samples violate it).
        let witness = WitnessCheck(network: problem.network, reference: problem.reference)
        if let trivial = Self.everyInputViolates(problem, witness: witness) { return finish(trivial) }
        if let hint, let cex = Self.confirmed(hint, problem, witness: witness) { return finish(.violated(cex)) }
        let falsifier = Falsifier(witness: witness, options: options.attack)
        var rng = SplitMix64(seed: options.search.seed)
        let rootSamples = options.attack.samples
            * (options.isLowDimensional(problem.network) ? options.attack.lowDimensionalSampleFactor : 1)
        for (k, c) in problem.cases.enumerated() {
            statistics.attacks += 1
            if let cex = falsifier.search(
                box: c.box, inputRegion: c.inputRegion, regions: c.regions, regionIndices: Array(c.regions.indices), caseIndex: k, starts: [],
                samples: rootSamples, restarts: rootRestarts ?? options.attack.restarts, rng: &rng, deadline: deadline) {
                return finish(.violated(cex))
            }
            if ContinuousClock.now >= deadline { return finish(.timeout) }
        }
        var roots: [SearchNode]
        if let resuming {
            let resumption = try resuming()
            let resumed = try Self.resumedRoots(
                problem, resumption.leaves, plans: resumption.plans, groups: resumption.groups)
            roots = resumed.nodes
            SharedHullBounds.attach(
                to: &roots, groups: resumed.groups, problem: problem, propagator: propagator,
                workers: options.search.workers, deadline: deadline)
        } else {
            roots = problem.cases.indices.map { Self.root(problem, case: $0) }
        }
        // A node without open regions is settled by the output range alone (``root(_:case:box:splits:)``).
        roots.removeAll { $0.openRegions.isEmpty }
        var result = try branchAndBound(problem, policy: policy, propagator: propagator, roots: roots, start: start,
                                        deadline: deadline)
        result.statistics.attacks += statistics.attacks
        result.statistics.seconds = (ContinuousClock.now - start).seconds
        return result
    }

    /// The search proper: one branch and bound, or a ``PortfolioSearch`` of two where
    /// ``SearchOptions/portfolioBranching(for:)`` names a second heuristic (ReLU splits, two workers or more).
    private func branchAndBound(
        _ problem: VerificationProblem, policy: BranchingPolicy, propagator: BoundPropagator, roots: [SearchNode],
        start: ContinuousClock.Instant, deadline: ContinuousClock.Instant
    ) throws(VerifierError) -> VerificationResult {
        var policies = [policy]
        var result: VerificationResult
        if let portfolio = try portfolio(problem, policy: policy, propagator: propagator, start: start,
                                         deadline: deadline)
        {
            policies.append(portfolio.secondPolicy)
            result = portfolio.search.run(roots: roots)
        } else {
            result = BranchAndBound(problem: problem, options: options, policy: policy, propagator: propagator,
                                    start: start, deadline: deadline).run(roots: roots)
        }
        for learned in policies.compactMap(\.heuristic.learnedStatistics) {
            result.statistics.learnedDecisions += learned.decisions
            result.statistics.learnedFallbacks += learned.fallbacks
            result.statistics.fineTuningSteps += learned.fineTuningSteps
            result.statistics.learnedInferenceSeconds += learned.inferenceSeconds
        }
        return result
    }

    /// The two searches of a portfolio (the second with half the workers, starting after
    /// ``SearchOptions/portfolioShare`` of the time limit; their progress summed by a ``PortfolioProgress``) and the
    /// second's policy, or nil when the problem gets one search.
    private func portfolio(
        _ problem: VerificationProblem, policy: BranchingPolicy, propagator: BoundPropagator,
        start: ContinuousClock.Instant, deadline: ContinuousClock.Instant
    ) throws(VerifierError) -> (search: PortfolioSearch, secondPolicy: BranchingPolicy)? {
        guard !policy.usesInputSplits, options.search.workers >= 2,
            let choice = options.search.portfolioBranching(for: problem.network)
        else { return nil }
        let progress = options.progress.map(PortfolioProgress.init(report:))
        var firstOptions = options
        firstOptions.progress = progress?.callback(search: 0)
        var secondOptions = options
        secondOptions.search.branching = choice
        secondOptions.search.workers = options.search.workers / 2
        secondOptions.progress = progress?.callback(search: 1)
        let secondPolicy: BranchingPolicy
        do {
            secondPolicy = try secondOptions.branchingPolicy(for: problem.network)
        } catch {
            throw .unsupportedOption(error.description)
        }
        let share = Swift.min(Swift.max(options.search.portfolioShare, 0), 1)
        let search = PortfolioSearch(
            first: BranchAndBound(problem: problem, options: firstOptions, policy: policy, propagator: propagator,
                                  start: start, deadline: deadline),
            second: BranchAndBound(problem: problem, options: secondOptions, policy: secondPolicy,
                                   propagator: propagator, start: start, deadline: deadline),
            workers: options.search.workers,
            secondStart: start + .milliseconds(Int64((Self.cappedTimeout(options.timeout) * share * 1000).rounded())))
        return (search, secondPolicy)
    }

    /// The search node of a case's whole box, or of a sub-box under splits, open in the case's regions that the
    /// network's ``Network/outputRange`` does not exclude (none open: the node is settled without a search).
    static func root(_ problem: VerificationProblem, case k: Int, box: Box? = nil, splits: SplitSet = SplitSet())
        -> SearchNode
    {
        let c = problem.cases[k]
        // Regions the network's output range excludes (a softmax output below 0) are refuted before any bound.
        let range = problem.reportedOutputCount == nil ? problem.network.outputRange : nil
        let open = c.regions.indices.filter { r in range.map { !c.regions[r].isEmpty(within: $0) } ?? true }
        var node = SearchNode(
            caseIndex: k, box: box ?? c.box, splits: splits, openRegions: open, parentBounds: nil,
            recomputeFrom: nil, priority: -.infinity, depth: splits.count, inputSplitDepth: 0)
        node.share = share(of: node.box, splits: splits, inCase: c.box) / Double(problem.cases.count)
        return node
    }

    /// The share of a case's search space that a sub-box under splits holds: the tree weight it would have in a
    /// search of the case's whole box that reached it (each bisection and each ReLU split halves it), i.e. the
    /// product of its widths relative to the case's (dimensions the case does not vary count 1) times `2^−splits`.
    static func share(of box: Box, splits: SplitSet, inCase caseBox: Box) -> Double {
        var share = Double(sign: .plus, exponent: -splits.count, significand: 1)
        for j in 0..<Swift.min(box.dimension, caseBox.dimension) {
            let whole = caseBox.upper[j] - caseBox.lower[j]
            guard whole > 0 else { continue }
            share *= Swift.min(Swift.max((box.upper[j] - box.lower[j]) / whole, 0), 1)
        }
        return share.isFinite ? share : 0
    }

    /// The nodes to resume from: every valid leaf (following `plans[i]` below leaf `i`, when given), plus the root of
    /// each case its leaves do not provably cover; with each node its leaf's group (`groups[i]`, nil for those
    /// roots and when not given).
    static func resumedRoots(
        _ problem: VerificationProblem, _ leaves: [SearchLeaf], plans: [ReusePlan]? = nil, groups: [Int]? = nil
    ) throws(VerifierError) -> (nodes: [SearchNode], groups: [Int?]) {
        var byCase = [[(box: Box, splits: SplitSet, plan: ReusePlan, group: Int?)]](
            repeating: [], count: problem.cases.count)
        for (i, leaf) in leaves.enumerated() {
            guard problem.cases.indices.contains(leaf.caseIndex) else {
                throw .invalidProperty("leaf \(i) names case \(leaf.caseIndex); the problem has \(problem.cases.count)")
            }
            let caseBox = problem.cases[leaf.caseIndex].box
            let box = leaf.box ?? caseBox
            guard box.dimension == caseBox.dimension, box.isValid,
                box.lower.indices.allSatisfy({ box.lower[$0] >= caseBox.lower[$0] && box.upper[$0] <= caseBox.upper[$0] })
            else { throw .invalidProperty("leaf \(i): its box is not inside case \(leaf.caseIndex)'s box") }
            for split in leaf.splits.splits {
                let shape = problem.network.layers.indices.contains(split.layer)
                    && problem.network.layers[split.layer] == .relu
                    ? problem.network.inputShape(ofLayer: split.layer).reduce(1, *) : 0
                guard split.neuron >= 0, split.neuron < shape else {
                    throw .invalidProperty("leaf \(i): split \(split.id) is not a ReLU neuron of the network")
                }
            }
            let plan = plans.flatMap { $0.indices.contains(i) ? $0[i] : nil } ?? .end
            let group = groups.flatMap { $0.indices.contains(i) ? $0[i] : nil }
            byCase[leaf.caseIndex].append((box, leaf.splits, plan, group))
        }
        var nodes: [SearchNode] = []
        var nodeGroups: [Int?] = []
        for (k, pieces) in byCase.enumerated() {
            nodes += pieces.map { piece in
                var node = root(problem, case: k, box: piece.box, splits: piece.splits)
                node.plan = piece.plan
                return node
            }
            nodeGroups += pieces.map(\.group)
            let regions = pieces.map { (box: $0.box, splits: $0.splits) }
            if !LeafCover.covers(regions, root: problem.cases[k].box) {
                // The case's root holds the whole case, so its leaves count for nothing in the closed share.
                for i in (nodes.count - pieces.count)..<nodes.count { nodes[i].share = 0 }
                nodes.append(root(problem, case: k))
                nodeGroups.append(nil)
            }
        }
        return (nodes, nodeGroups)
    }

    /// The longest time limit honoured, in seconds (about 31 years): larger values, +∞ included, are capped so
    /// that the deadline stays representable. NaN and negative limits count as 0.
    public static let maximumTimeout = 1e9

    /// `timeout` clamped to `0 ... maximumTimeout` (NaN gives 0).
    static func cappedTimeout(_ timeout: Double) -> Double {
        timeout > 0 ? Swift.min(timeout, maximumTimeout) : 0
    }

    /// The verdict when some case has a disjunct with no output constraint (`(assert (<= 0 1))` alone, say): every
    /// input of that case violates the property, so it cannot be proven. `violated` with a Float32 input of the
    /// case's region, or `unknown` when the region holds no Float32 value (`X_0 ∈ [0.1, 0.1]`): the witness could
    /// not be given to a model that takes Float32 inputs. Nil when every disjunct constrains the output.
    static func everyInputViolates(_ problem: VerificationProblem, witness: WitnessCheck) -> Verdict? {
        var found = false
        for (k, c) in problem.cases.enumerated() {
            for (r, region) in c.regions.enumerated() where region.rowCount == 0 {
                found = true
                if let cex = witness.confirm(
                    c.box.center, box: c.box, inputRegion: c.inputRegion, region: region, caseIndex: k,
                    disjunctIndex: r)
                {
                    return .violated(cex)
                }
            }
        }
        return found
            ? .unknown(
                reason: "every input violates the property (a disjunct has no output constraint), but its input "
                    + "region holds no Float32 value to give as a counterexample")
            : nil
    }
}
