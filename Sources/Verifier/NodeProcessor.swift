import Bounds
import Branching
import Network
import Tensor
import VNNLib

/// Processes branch-and-bound nodes for one worker thread, as a short pipeline of named stages over a
/// ``NodeEvaluation``: bound → refine → falsify → LP → decide.
///
/// It owns the worker's GLPK problem (``LPRelaxation``), so it must stay on the thread that created it.
struct NodeProcessor {
    let problem: VerificationProblem
    /// The layers other than ReLU that no ReLU split makes exact: sigmoid, tanh or softmax (relaxed on every box of
    /// positive width), max pools (relaxed wherever no element dominates its window); nil for a ReLU network.
    let relaxedBeyondReLU: String?
    /// How nodes below the root recompute their intermediate bounds (``SearchOptions/intermediateMethod(forNodesOf:)``).
    let nodeIntermediateMethod: BoundMethod
    let options: VerificationOptions
    let propagator: BoundPropagator
    let deadline: ContinuousClock.Instant
    let policy: BranchingPolicy
    private(set) var statistics = VerificationStatistics()
    private var rng: SplitMix64
    private var relaxation: LPRelaxation?
    private var relaxationUnavailable = false
    private let falsifier: Falsifier

    init(problem: VerificationProblem, options: VerificationOptions, policy: BranchingPolicy,
         propagator: BoundPropagator, seed: UInt64, deadline: ContinuousClock.Instant) {
        self.problem = problem
        self.relaxedBeyondReLU = Self.relaxedBeyondReLU(in: problem.network)
        self.options = options
        self.nodeIntermediateMethod = options.search.intermediateMethod(forNodesOf: problem.network)
        self.propagator = propagator
        self.deadline = deadline
        self.rng = SplitMix64(seed: seed)
        self.policy = policy
        self.falsifier = Falsifier(
            witness: WitnessCheck(network: problem.network, reference: problem.reference),
            options: options.attack.forNodes)
    }

    private var secondsLeft: Double { (deadline - ContinuousClock.now).seconds }

    /// Bounds, refines, falsifies, solves LPs and decides: the node's outcome with its evaluation.
    mutating func process(_ node: SearchNode) -> NodeOutcome { process([node])[0] }

    /// ``process(_:)`` of several nodes, their objective bounds computed as one batch
    /// (``BoundPropagator/lowerBounds(of:options:)``: one matrix product per layer for all nodes' rows); every
    /// other stage runs node by node, in order.
    mutating func process(_ nodes: [SearchNode]) -> [NodeOutcome] {
        let bounds = intermediateBounds(of: nodes)
        let prepared = zip(nodes, bounds).map { prepareBound($0, bounds: $1) }
        var results = [LinearBoundResult?](repeating: nil, count: nodes.count)
        let groups = Dictionary(grouping: prepared.indices.filter { prepared[$0] != nil }) { prepared[$0]!.options }
        for (options, members) in groups {
            let queries = members.map { prepared[$0]!.query(for: nodes[$0]) }
            for (k, result) in zip(members, propagator.lowerBounds(of: queries, options: options)) { results[k] = result }
            statistics.boundComputations += members.count
        }
        return nodes.indices.map { k in
            statistics.nodes += 1
            guard let p = prepared[k], let result = results[k] else { return NodeOutcome(.refuted, nil) }
            return proceed(nodes[k], evaluation: p.evaluation(of: result), bisecting: p.bisecting)
        }
    }

    /// Stages 1b–5 of a bounded node.
    private mutating func proceed(_ node: SearchNode, evaluation bounded: NodeEvaluation, bisecting: Bool) -> NodeOutcome {
        var evaluation = bounded
        refuteByDifference(&evaluation, node: node)
        if evaluation.openRegions.isEmpty { return NodeOutcome(.refuted, evaluation) }
        let alphaGain = refine(&evaluation, node: node, bisecting: bisecting)
        if evaluation.openRegions.isEmpty { return NodeOutcome(.refuted, evaluation) }
        let priority = evaluation.worstMargin
        if let cex = falsify(&evaluation, node: node) { return NodeOutcome(.counterexample(cex), evaluation) }
        if optimisesIntermediateBounds(of: node, bisecting: bisecting) {
            // The root stayed open: bound it again over alpha-CROWN intermediate bounds, which every node inherits.
            guard let rebounded = bound(
                node, intermediateMethod: options.search.rootIntermediateMethod, tightening: evaluation.intermediate)
            else {
                return NodeOutcome(.refuted, nil)
            }
            evaluation = rebounded
            if evaluation.openRegions.isEmpty { return NodeOutcome(.refuted, evaluation) }
        }
        let atLeaf = evaluation.unstable.isEmpty
        // A node an earlier search split (proof reuse) is split again without its LP: that search's LP, if it
        // ran, did not close it either.
        let planned = node.plan.isSplit
        if options.lp.enabled, atLeaf || (!planned && !bisecting && evaluation.unstable.count <= options.lp.unstableLimit)
        {
            if let early = solveLinearPrograms(&evaluation, node: node, atLeaf: atLeaf) {
                return NodeOutcome(early, evaluation)
            }
            if evaluation.openRegions.isEmpty { return NodeOutcome(.refuted, evaluation) }
        }
        return NodeOutcome(
            decide(evaluation, node: node, bisecting: bisecting, priority: priority, alphaGain: alphaGain), evaluation)
    }

    /// True for the root of a ReLU-split search (no parent bounds, not bisecting) when the options ask for its
    /// intermediate bounds by another method than CROWN: it is bounded by CROWN first, and again only if it stays
    /// open (the optimised bounds cost far more and most easy properties close at the root without them).
    private func optimisesIntermediateBounds(of node: SearchNode, bisecting: Bool) -> Bool {
        node.depth == 0 && node.parentBounds == nil && node.splits.isEmpty && !bisecting
            && options.search.rootIntermediateMethod != .crown
    }

    // MARK: Stages

    /// Stage 1: intermediate bounds (reusing the parent's before the split layer; LP-tightened at the root when
    /// asked), then the final bound of every open region's rows in one back-substitution, with the method the
    /// policy gives for the node's split. Nil when the node's splits are infeasible.
    /// `tightening`: bounds of this node to start from and intersect with (the root's CROWN bounds when it is
    /// bounded again with optimised ones), instead of the parent's.
    private mutating func bound(
        _ node: SearchNode, intermediateMethod: BoundMethod = .crown, tightening: IntermediateBounds? = nil
    ) -> NodeEvaluation? {
        let bounds = intermediateBounds(of: [node], intermediateMethod: intermediateMethod, tightening: tightening)[0]
        guard let p = prepareBound(node, bounds: bounds) else { return nil }
        let result = propagator.lowerBounds(of: [p.query(for: node)], options: p.options)[0]
        statistics.boundComputations += 1
        return p.evaluation(of: result)
    }

    /// Stage 1a: the nodes' intermediate bounds (reusing each parent's before its split layer), computed together
    /// per method: one batched back-substitution per layer for all the nodes' neurons.
    /// `tightening`: bounds to start from and intersect with instead of the parents' (see ``bound(_:intermediateMethod:tightening:)``).
    private mutating func intermediateBounds(
        of nodes: [SearchNode], intermediateMethod: BoundMethod = .crown, tightening: IntermediateBounds? = nil
    ) -> [IntermediateBounds] {
        // A ReLU split's child (parent bounds from the split layer on) recomputes by the search's node method.
        let methods = nodes.map { node in
            tightening == nil && node.recomputeFrom != nil && node.parentBounds != nil
                ? nodeIntermediateMethod : intermediateMethod
        }
        var out = [IntermediateBounds?](repeating: nil, count: nodes.count)
        for (method, members) in Dictionary(grouping: nodes.indices, by: { methods[$0] }) {
            let queries = members.map { k in
                IntermediateQuery(
                    box: nodes[k].box, splits: nodes[k].splits, parent: tightening ?? nodes[k].parentBounds,
                    fromLayer: tightening == nil ? nodes[k].recomputeFrom : nil)
            }
            for (k, bounds) in zip(members, propagator.intermediateBounds(of: queries, method: method)) { out[k] = bounds }
        }
        statistics.boundComputations += nodes.count
        return out.map { $0! }
    }

    /// Stage 1b up to the objective bound: given the node's intermediate bounds, its objective rows and bound
    /// options (nil when its splits are infeasible).
    private mutating func prepareBound(_ node: SearchNode, bounds intermediate: IntermediateBounds) -> PreparedBound? {
        var bounds = intermediate
        if bounds.isInfeasible { return nil }
        if node.depth == 0, !policy.usesInputSplits, options.lp.enabled, options.lp.tighteningShare > 0 {
            bounds = tightenedByLinearProgramming(bounds, node: node)
            if bounds.isInfeasible { return nil }
        }
        let spec = problem.cases[node.caseIndex]
        var regionRows: [[Int]] = []
        var objective: [Double] = []
        var thresholds: [Double] = []
        for r in node.openRegions {
            let (rows, d) = refutationRows(spec.regions[r])
            regionRows.append(Array(thresholds.count..<(thresholds.count + d.count)))
            objective.append(contentsOf: rows.storage)
            thresholds.append(contentsOf: d)
        }
        let unstable = NodeEvaluation.unstableNeurons(in: problem.network, bounds: bounds, splits: node.splits)
        // Sigmoid, tanh and softmax are relaxed wherever their input interval is not a point, max pools wherever no
        // element dominates: no handover to ReLU splits, which cannot make their relaxation exact; bisection goes on
        // until the depth limit (smaller boxes make pools dominated).
        let bisecting = policy.bisectsInputs(
            splits: node.splits, inputSplitDepth: node.inputSplitDepth,
            unstableCount: relaxedBeyondReLU != nil ? Int.max : unstable.count)
        var boundOptions = BoundOptions()
        // A node an earlier search split (proof reuse) is most likely split again: plain CROWN tells whether it
        // closes now; the optimised bound is left to the nodes where that search's tree ends.
        boundOptions.method = node.plan.isSplit ? .crown : policy.finalBoundMethod(bisecting: bisecting)
        return PreparedBound(
            bounds: bounds, objective: Matrix(rows: thresholds.count, columns: problem.network.outputCount, storage: objective),
            thresholds: thresholds, regions: node.openRegions, regionRows: regionRows,
            ownRowCounts: node.openRegions.map { spec.regions[$0].rowCount }, unstable: unstable, bisecting: bisecting,
            options: boundOptions, warmStart: options.search.warmStartsSlopes ? node.warmStart : nil,
            keepsSlopes: options.search.warmStartsSlopes && !bisecting)
    }

    /// Stage 1b, equivalence queries only (``VerificationProblem/differenceRefuter``): certified bounds on
    /// `g − f` over the node's box refute the regions they can. (Their smear did not make a better bisection
    /// choice than the input split rule's on ACAS Xu: docs/benchmarks.md.) They cost about one more CROWN pass,
    /// so they stop being tried on a pair where they rarely close what CROWN left open (quantised copies over
    /// large boxes):
    /// after ``differenceTrial`` tries they run only while at least 1 in ``differenceMinimumRate`` succeeds, and
    /// on every ``differenceProbeInterval``-th node to notice when smaller boxes make them worth it again.
    private mutating func refuteByDifference(_ evaluation: inout NodeEvaluation, node: SearchNode) {
        guard let refuter = problem.differenceRefuter, !evaluation.openRegions.isEmpty else { return }
        let tries = statistics.differenceChecks, successes = statistics.differenceRefutations
        guard tries < Self.differenceTrial || successes * Self.differenceMinimumRate >= tries
            || statistics.nodes % Self.differenceProbeInterval == 0
        else { return }
        statistics.differenceChecks += 1
        let refuted = refuter.refutedRegions(
            caseIndex: node.caseIndex, box: node.box, regions: evaluation.openRegions,
            productBounds: evaluation.intermediate)
        statistics.differenceRefutations += refuted.isEmpty ? 0 : 1
        evaluation.refutedByDifference.formUnion(refuted)
    }

    static let differenceTrial = 16
    static let differenceMinimumRate = 10
    static let differenceProbeInterval = 64

    /// Stage 2: when bisecting with alpha-CROWN configured and CROWN left a region open, optimise the slopes for
    /// the refutation only (the split and the counterexample candidates keep CROWN's coefficients).
    ///
    /// Skipped when it cannot be expected to close the node: CROWN's worst margin is further below zero than
    /// ``alphaReach`` times what the optimisation gained on the nearest refined ancestor (a half box gains less
    /// than its parent, and the margins it must close shrink with it). Returns the gain the node's children
    /// inherit: this node's when it was refined, else the inherited one.
    private mutating func refine(_ evaluation: inout NodeEvaluation, node: SearchNode, bisecting: Bool) -> Double? {
        guard policy.refinesWithAlpha(bisecting: bisecting), !node.plan.isSplit, !evaluation.openRegions.isEmpty
        else { return node.alphaGain }
        let crown = evaluation.worstMargin
        if let gain = node.alphaGain, -crown > Self.alphaReach * gain {
            statistics.skippedRefinements += 1
            return gain
        }
        var alphaOptions = BoundOptions()
        alphaOptions.method = .alphaCrown
        let refined = propagator.lowerBounds(
            of: evaluation.objective, constants: nil, over: node.box, intermediate: evaluation.intermediate,
            splits: node.splits, options: alphaOptions)
        statistics.boundComputations += 1
        for i in evaluation.lower.indices { evaluation.lower[i] = Swift.max(evaluation.lower[i], refined.lower[i]) }
        let after = evaluation.worstMargin
        return after.isFinite && crown.isFinite ? Swift.max(0, after - crown) : nil
    }

    /// How many times the ancestor's gain a CROWN margin may lie below zero for the refinement to run. On ACAS Xu
    /// (docs/benchmarks.md) 0.25–1 were all faster than always refining (∞); 0.5 keeps the node count close to it.
    static let alphaReach = 0.5

    /// Stage 3: the minimiser of each open region's linear bound over the box (the box's centre for a region
    /// without rows), then, every `nodeInterval`-th node, a short attack from those points.
    private mutating func falsify(_ evaluation: inout NodeEvaluation, node: SearchNode) -> Counterexample? {
        let spec = problem.cases[node.caseIndex]
        let open = evaluation.openRegions
        for k in evaluation.regions.indices where open.contains(evaluation.regions[k]) {
            let minimisers = evaluation.candidateRows(ofRegionAt: k).map { row in
                (0..<node.box.dimension).map { j in
                    evaluation.linearBound.inputCoefficients[row, j] >= 0 ? node.box.lower[j] : node.box.upper[j]
                }
            }
            for x in minimisers.isEmpty ? [node.box.center] : minimisers {
                evaluation.candidates.append(x)
                if let cex = confirm(x, node: node, region: evaluation.regions[k]) { return cex }
            }
        }
        guard options.attack.nodeInterval > 0, statistics.nodes % options.attack.nodeInterval == 0 else { return nil }
        statistics.attacks += 1
        return falsifier.search(
            box: node.box, inputRegion: spec.inputRegion, regions: open.map { spec.regions[$0] }, regionIndices: open,
            caseIndex: node.caseIndex, starts: evaluation.candidates, samples: falsifier.options.samples,
            restarts: falsifier.options.restarts, rng: &rng,
            deadline: deadline)
    }

    /// Stage 4: the triangle LP of each open region. A refuted region is recorded in the evaluation; a reachable
    /// one yields a candidate (and at a leaf, a descent from it); a failure at a leaf ends the node undecidable.
    /// Returns a result only when the node ends here.
    private mutating func solveLinearPrograms(_ evaluation: inout NodeEvaluation, node: SearchNode, atLeaf: Bool)
        -> NodeOutcome.Result?
    {
        guard let lp = relaxationInstance() else { return nil }
        let spec = problem.cases[node.caseIndex]
        for r in evaluation.openRegions {
            statistics.linearPrograms += 1
            switch lp.minimiseMargin(
                region: spec.regions[r], box: node.box, bounds: evaluation.intermediate, splits: node.splits,
                timeLimit: secondsLeft, exactFallback: atLeaf)
            {
            case let .refuted(bound):
                evaluation.refutedByLP.insert(r)
                evaluation.lp[r] = LPEvidence(margin: bound, certifiedBound: bound)
            case let .reachable(x, evidence):
                evaluation.lp[r] = evidence
                evaluation.candidates.append(x)
                if let cex = confirm(x, node: node, region: r) { return .counterexample(cex) }
                if atLeaf, let cex = falsifier.descend(
                    from: x, box: node.box, inputRegion: spec.inputRegion, region: spec.regions[r],
                    caseIndex: node.caseIndex, disjunctIndex: r)
                {
                    return .counterexample(cex)
                }
            case let .inconclusive(reason):
                statistics.failedLinearPrograms += 1
                if atLeaf { return .undecidable(reason) }
            }
        }
        return nil
    }

    /// The names of `network`'s layer kinds that no ReLU split makes exact (see ``relaxedBeyondReLU``).
    private static func relaxedBeyondReLU(in network: Network) -> String? {
        var kinds: [String] = []
        if network.hasSmoothActivations { kinds.append("sigmoid/tanh/softmax") }
        if network.hasMaxPooling { kinds.append("max-pool") }
        return kinds.isEmpty ? nil : kinds.joined(separator: " and ")
    }

    /// Stage 5: the policy's decision, turned into children (or an undecidable leaf).
    private func decide(
        _ evaluation: NodeEvaluation, node: SearchNode, bisecting: Bool, priority: Double, alphaGain: Double?
    ) -> NodeOutcome.Result {
        let atLeaf = evaluation.unstable.isEmpty
        if atLeaf && !bisecting {
            return .undecidable(
                relaxedBeyondReLU.map {
                    "every ReLU is decided but the \($0) relaxation leaves the node open (input bisection "
                        + "reached its depth limit, or the inputs are not split: try --mode input-split)"
                } ?? ("a node with every ReLU decided is reachable in the relaxation but no confirmed counterexample "
                        + "was found (the violation is within floating-point tolerance)"))
        }
        let open = evaluation.openRegions
        let openIndices = evaluation.regions.indices.filter { open.contains(evaluation.regions[$0]) }
        let slopes = evaluation.linearBound.slopes?.selectingRows(openIndices.flatMap { evaluation.regionRows[$0] })
        if let (neuron, active, inactive) = node.plan.next(splits: node.splits, phase: { evaluation.stablePhase(of: $0) }) {
            return .branch(node.children(
                .splitReLU(neuron), openRegions: open, bounds: evaluation.intermediate, priority: priority,
                plans: (active, inactive), slopes: slopes))
        }
        let rows = openIndices.compactMap { evaluation.bestRow(ofRegionAt: $0) }
        var children = ChildBounder(
            propagator: propagator, box: node.box, intermediate: evaluation.intermediate, splits: node.splits,
            rows: evaluation.objective.selectingRows(rows), thresholds: rows.map { evaluation.thresholds[$0] })
        children.intermediateMethod = nodeIntermediateMethod
        let context = BranchingContext(
            network: problem.network, box: node.box, splits: node.splits, evaluation: evaluation, objectiveRows: rows,
            children: children, deadline: deadline)
        guard let decision = policy.decide(
            context, bisecting: bisecting, rootBox: problem.cases[node.caseIndex].box,
            rows: openIndices.flatMap { evaluation.candidateRows(ofRegionAt: $0) })
        else {
            return .undecidable(
                atLeaf ? "no neuron or input dimension left to split" : "the branching heuristic found no neuron to split")
        }
        return .branch(node.children(
            decision, openRegions: open, bounds: evaluation.intermediate, priority: priority, slopes: slopes,
            alphaGain: alphaGain))
    }

    /// The counterexample at `x` for region `r` of the node's case, if the witness check confirms one.
    private func confirm(_ x: [Double], node: SearchNode, region r: Int) -> Counterexample? {
        let spec = problem.cases[node.caseIndex]
        return falsifier.witness.confirm(
            x, box: node.box, inputRegion: spec.inputRegion, region: spec.regions[r], caseIndex: node.caseIndex,
            disjunctIndex: r)
    }

    /// The rows whose lower bounds can refute a region `C·y ≤ d`: its own rows, and for a conjunction of a few rows
    /// also their mean and pairwise means. Any non-negative combination of the rows holds on the region, so a
    /// combination whose lower bound exceeds its combined threshold refutes it too, often where no single row
    /// does (ACAS Xu properties 2 and 4: "output 0 is maximal/minimal" as four rows).
    private func refutationRows(_ region: OutputPolytope) -> (Matrix, [Double]) {
        let n = region.rowCount
        guard n >= 2, n <= Self.combinationRowLimit else { return (region.coefficients, region.bounds) }
        var rows = region.coefficients.storage
        var bounds = region.bounds
        let m = region.coefficients.columns
        var groups: [[Int]] = [Array(0..<n)]
        if n > 2 { for i in 0..<n { for j in (i + 1)..<n { groups.append([i, j]) } } }
        for g in groups {
            let w = 1 / Double(g.count)
            for c in 0..<m { rows.append(g.reduce(0) { $0 + w * region.coefficients[$1, c] }) }
            bounds.append(g.reduce(0) { $0 + w * region.bounds[$1] })
        }
        return (Matrix(rows: bounds.count, columns: m, storage: rows), bounds)
    }

    /// Regions with more rows than this are refuted row by row only.
    static let combinationRowLimit = 6

    /// The root's intermediate bounds with the unstable pre-activations of every ReLU layer after the first
    /// tightened by LP (``LPRelaxation/tightenedPreActivations(layer:neurons:box:bounds:splits:deadline:)``),
    /// layer by layer, CROWN re-run after each layer; children inherit them (bounds are intersected with the
    /// parent's). Spends at most `lpTighteningShare` of the time left.
    private mutating func tightenedByLinearProgramming(_ start: IntermediateBounds, node: SearchNode)
        -> IntermediateBounds
    {
        let reluLayers = problem.network.layers.indices.filter { problem.network.layers[$0] == .relu }
        guard reluLayers.count >= 2, let lp = relaxationInstance() else { return start }
        let deadline = ContinuousClock.now + .seconds(secondsLeft * options.lp.tighteningShare)
        var bounds = start
        for layer in reluLayers.dropFirst() where ContinuousClock.now < deadline {
            guard let pre = bounds.preActivation[layer] else { continue }
            let neurons = (0..<pre.dimension).filter { pre.lower[$0] < 0 && pre.upper[$0] > 0 }
            guard !neurons.isEmpty else { continue }
            let solvesBefore = lp.solves, failuresBefore = lp.failures
            guard let tightened = lp.tightenedPreActivations(
                layer: layer, neurons: neurons, box: node.box, bounds: bounds, splits: node.splits,
                deadline: deadline)
            else { continue }
            statistics.linearPrograms += lp.solves - solvesBefore
            statistics.failedLinearPrograms += lp.failures - failuresBefore
            var parent = bounds
            parent.tensors[layer] = tightened
            bounds = propagator.intermediateBounds(
                over: node.box, splits: node.splits, method: .crown, reusing: parent, fromLayer: layer)
            statistics.boundComputations += 1
            if bounds.isInfeasible { return bounds }
        }
        return bounds
    }

    private mutating func relaxationInstance() -> LPRelaxation? {
        if relaxationUnavailable { return nil }
        if let relaxation { return relaxation }
        do {
            relaxation = try LPRelaxation(network: problem.network, timeLimit: secondsLeft)
        } catch {
            relaxationUnavailable = true
        }
        return relaxation
    }
}

extension NodeEvaluation {
    /// The phase `neuron` is known to take on the node: `true` when its pre-activation's lower bound is ≥ 0,
    /// `false` when its upper bound is ≤ 0, nil when unstable, unknown (NaN) or not a neuron of the bounds.
    fileprivate func stablePhase(of neuron: NeuronID) -> Bool? {
        guard intermediate.tensors.indices.contains(neuron.layer) else { return nil }
        let t = intermediate.tensors[neuron.layer]
        guard neuron.neuron >= 0, neuron.neuron < t.dimension else { return nil }
        if t.lower[neuron.neuron] >= 0 { return true }
        if t.upper[neuron.neuron] <= 0 { return false }
        return nil
    }
}
