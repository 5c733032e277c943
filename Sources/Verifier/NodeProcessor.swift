import Bounds
import Branching
import Network
import Tensor
import VNNLib

/// Processes branch-and-bound nodes for one worker thread: bound propagation, a cheap counterexample check,
/// periodic attacks, the LP relaxation where it pays, and the branching decision.
///
/// It owns the worker's GLPK problem (``LPRelaxation``), so it must stay on the thread that created it.
struct NodeProcessor {
    let problem: VerificationProblem
    let options: VerificationOptions
    let propagator: BoundPropagator
    let deadline: ContinuousClock.Instant
    let heuristic: any BranchingHeuristic
    private let inputSmear: InputSmear
    private(set) var statistics = VerificationStatistics()
    private var rng: SplitMix64
    private var relaxation: LPRelaxation?
    private var relaxationUnavailable = false
    private let falsifier: Falsifier
    private let useInputSplits: Bool

    init(problem: VerificationProblem, options: VerificationOptions, propagator: BoundPropagator, seed: UInt64,
         deadline: ContinuousClock.Instant) {
        self.problem = problem
        self.options = options
        self.propagator = propagator
        self.deadline = deadline
        self.rng = SplitMix64(seed: seed)
        self.heuristic = options.branching.makeHeuristic()
        self.inputSmear = InputSmear(balance: options.inputSplitBalance ?? options.inputSplitRule.defaultBalance)
        var attack = options.attack
        attack.steps = Swift.max(1, attack.steps / 2)
        self.falsifier = Falsifier(witness: WitnessCheck(network: problem.network, reference: problem.reference), options: attack)
        switch options.mode {
        case .inputSplit: useInputSplits = true
        case .reluSplit: useInputSplits = false
        case .auto: useInputSplits = problem.network.inputCount <= options.inputSplitDimensionLimit
        }
    }

    private var secondsLeft: Double { (deadline - ContinuousClock.now).seconds }

    mutating func process(_ node: SearchNode) -> NodeOutcome {
        statistics.nodes += 1
        let spec = problem.cases[node.caseIndex]
        var bounds = propagator.intermediateBounds(
            over: node.box, splits: node.splits, method: .crown, reusing: node.parentBounds,
            fromLayer: node.recomputeFrom)
        statistics.boundComputations += 1
        if bounds.isInfeasible { return .refuted }
        if node.depth == 0, !useInputSplits, options.useLinearProgramming, options.lpTighteningShare > 0 {
            bounds = tightenedByLinearProgramming(bounds, node: node)
            if bounds.isInfeasible { return .refuted }
        }

        // Final bounds for every row of every open region, in one back-substitution.
        var rowsOf: [[Int]] = []
        var objective: [Double] = []
        var thresholds: [Double] = []
        var rowCount = 0
        for r in node.openRegions {
            let (rows, bounds) = refutationRows(spec.regions[r])
            rowsOf.append(Array(rowCount..<(rowCount + bounds.count)))
            objective.append(contentsOf: rows.storage)
            thresholds.append(contentsOf: bounds)
            rowCount += bounds.count
        }
        // Input bisection while the box is large and many neurons are unstable; ReLU splits (with LPs) once few
        // are left, or once the node has ReLU splits, or after maxInputSplitDepth bisections (completeness).
        let unstable = unstableNeurons(bounds, node.splits)
        let atLeaf = unstable.isEmpty
        let splitInputs = useInputSplits && node.splits.isEmpty && node.inputSplitDepth < options.maxInputSplitDepth
            && unstable.count > options.inputSplitHandover
        var boundOptions = BoundOptions()
        // Input splitting shrinks the box, which tightens CROWN by itself; its input coefficients also rank the
        // split dimensions far better than alpha-optimised ones (81 vs > 10,000 nodes on ACAS Xu 1_1 prop_1).
        boundOptions.method = splitInputs && options.finalBoundMethod == .alphaCrown ? .crown : options.finalBoundMethod
        let objectiveMatrix = Matrix(rows: rowCount, columns: problem.network.outputCount, storage: objective)
        let result = propagator.lowerBounds(
            of: objectiveMatrix, constants: nil,
            over: node.box, intermediate: bounds, splits: node.splits, options: boundOptions)
        statistics.boundComputations += 1
        var lower = result.lower
        if splitInputs && options.finalBoundMethod == .alphaCrown
            && node.openRegions.indices.contains(where: { k in !rowsOf[k].contains { lower[$0] - thresholds[$0] > 0 } })
        {
            // CROWN could not close every region: optimise the slopes for the refutation only (the split and the
            // counterexample candidates keep CROWN's coefficients).
            var alphaOptions = BoundOptions()
            alphaOptions.method = .alphaCrown
            let refined = propagator.lowerBounds(
                of: objectiveMatrix, constants: nil, over: node.box, intermediate: bounds, splits: node.splits,
                options: alphaOptions)
            statistics.boundComputations += 1
            for i in lower.indices { lower[i] = Swift.max(lower[i], refined.lower[i]) }
        }

        var open: [Int] = []
        var bestRow: [Int: Int] = [:]  // region → global row with the best margin
        var candidateRows: [Int: [Int]] = [:]  // region → rows whose bound minimisers are tried as counterexamples
        var worstMargin = Double.infinity
        for (k, r) in node.openRegions.enumerated() {
            let region = spec.regions[r]
            guard let first = rowsOf[k].first else {
                // No rows: the whole output space violates; no bound can refute it and no row ranks it.
                open.append(r)
                candidateRows[r] = []
                worstMargin = -.infinity
                continue
            }
            var margin = -Double.infinity
            var best = first
            var bestOwn = first  // among the region's own rows (not combinations)
            for (i, row) in rowsOf[k].enumerated() {
                let m = lower[row] - thresholds[row]
                if m > margin { margin = m; best = row }
                if i < region.rowCount, m > lower[bestOwn] - thresholds[bestOwn] { bestOwn = row }
            }
            candidateRows[r] = best == bestOwn ? [best] : [bestOwn, best]
            // Proven for this region only when the bound is strictly positive and not NaN.
            if margin > 0 { continue }
            open.append(r)
            bestRow[r] = best
            worstMargin = Swift.min(worstMargin, margin.isNaN ? -.infinity : margin)
        }
        if open.isEmpty { return .refuted }

        // Cheap check: the minimiser of each open region's linear lower bound over the box.
        var starts: [[Double]] = []
        for r in open {
            let minimisers = candidateRows[r]!.map { row in
                (0..<node.box.dimension).map { j in
                    result.inputCoefficients[row, j] >= 0 ? node.box.lower[j] : node.box.upper[j]
                }
            }
            for x in minimisers.isEmpty ? [node.box.center] : minimisers {
                starts.append(x)
                if let cex = confirm(x, node: node, region: r) { return .counterexample(cex) }
            }
        }
        if options.attack.nodeInterval > 0, statistics.nodes % options.attack.nodeInterval == 0 {
            statistics.attacks += 1
            if let cex = falsifier.search(
                box: node.box, inputRegion: spec.inputRegion, regions: open.map { spec.regions[$0] }, regionIndices: open, caseIndex: node.caseIndex,
                starts: starts, samples: 8, restarts: 1, rng: &rng, deadline: deadline) {
                return .counterexample(cex)
            }
        }

        if options.useLinearProgramming && (atLeaf || (!splitInputs && unstable.count <= options.lpUnstableLimit)) {
            if let lp = relaxationInstance() {
                var stillOpen: [Int] = []
                for r in open {
                    statistics.linearPrograms += 1
                    switch lp.minimiseMargin(region: spec.regions[r], box: node.box, bounds: bounds, splits: node.splits,
                                             timeLimit: secondsLeft, exactFallback: atLeaf) {
                    case .refuted:
                        continue
                    case let .reachable(x, _):
                        if let cex = confirm(x, node: node, region: r) { return .counterexample(cex) }
                        if atLeaf, let cex = falsifier.descend(
                            from: x, box: node.box, inputRegion: spec.inputRegion, region: spec.regions[r],
                            caseIndex: node.caseIndex, disjunctIndex: r) {
                            return .counterexample(cex)
                        }
                        stillOpen.append(r)
                    case let .inconclusive(reason):
                        statistics.failedLinearPrograms += 1
                        if atLeaf { return .undecidable(reason) }
                        stillOpen.append(r)
                    }
                }
                if stillOpen.isEmpty { return .refuted }
                open = stillOpen
            }
        }
        if atLeaf && !splitInputs {
            return .undecidable(
                "a node with every ReLU decided is reachable in the relaxation but no confirmed counterexample was "
                    + "found (the violation is within floating-point tolerance)")
        }

        // Branch.
        let priority = worstMargin
        if splitInputs, let dim = chooseInputDimension(node: node, bounds: bounds, result: result,
                                                       objective: objectiveMatrix,
                                                       rows: open.flatMap { candidateRows[$0]! })
        {
            let (a, b) = node.box.bisected(along: dim)
            return .branch([a, b].map { box in
                SearchNode(caseIndex: node.caseIndex, box: box, splits: node.splits, openRegions: open,
                           parentBounds: nil, recomputeFrom: nil, priority: priority, depth: node.depth + 1,
                           inputSplitDepth: node.inputSplitDepth + 1)
            })
        }
        if atLeaf {
            return .undecidable("no neuron or input dimension left to split")
        }
        let rows = open.compactMap { bestRow[$0] }
        let context = BranchingContext(
            network: problem.network, box: node.box, bounds: bounds, splits: node.splits, linearBound: result,
            objectiveRows: rows, objective: objectiveMatrix, thresholds: thresholds, propagator: propagator)
        guard let choice = heuristic.selectNeuron(context) ?? unstable.first else {
            return .undecidable("the branching heuristic found no neuron to split")
        }
        return .branch([true, false].map { active in
            SearchNode(caseIndex: node.caseIndex, box: node.box,
                       splits: node.splits.adding(ReLUSplit(layer: choice.layer, neuron: choice.neuron, isActive: active)),
                       openRegions: open, parentBounds: bounds, recomputeFrom: choice.layer, priority: priority,
                       depth: node.depth + 1, inputSplitDepth: node.inputSplitDepth)
        })
    }

    /// The counterexample at `x` for region `r` of the node's case, if the witness check confirms one.
    private func confirm(_ x: [Double], node: SearchNode, region r: Int) -> Counterexample? {
        let spec = problem.cases[node.caseIndex]
        return falsifier.witness.confirm(
            x, box: node.box, inputRegion: spec.inputRegion, region: spec.regions[r], caseIndex: node.caseIndex,
            disjunctIndex: r)
    }

    /// The input coordinate to bisect: smear scores (``InputSmear``: the bound's input coefficients, or
    /// ``InputGradientSmear``: interval gradients) with the width-balance rule.
    private func chooseInputDimension(node: SearchNode, bounds: IntermediateBounds, result: LinearBoundResult,
                                      objective: Matrix, rows: [Int]) -> Int? {
        let root = problem.cases[node.caseIndex].box
        switch options.inputSplitRule {
        case .coefficients:
            return inputSmear.choose(box: node.box, bound: result, rows: rows, rootBox: root)
        case .gradient:
            let scores = InputGradientSmear().scores(network: problem.network, box: node.box, bounds: bounds,
                                                     splits: node.splits, objective: objective, rows: rows)
            return inputSmear.choose(scores: scores, box: node.box, rootBox: root)
        }
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

    /// The unsplit neurons of ReLU layers whose pre-activation interval contains 0 in its interior.
    private func unstableNeurons(_ bounds: IntermediateBounds, _ splits: SplitSet) -> [NeuronID] {
        var out: [NeuronID] = []
        for (layer, box) in bounds.preActivation.sorted(by: { $0.key < $1.key })
        where problem.network.layers[layer] == .relu {
            for k in 0..<box.dimension where box.lower[k] < 0 && box.upper[k] > 0
                && splits.state(layer: layer, neuron: k) == nil {
                out.append(NeuronID(layer: layer, neuron: k))
            }
        }
        return out
    }

    /// The root's intermediate bounds with the unstable pre-activations of every ReLU layer after the first
    /// tightened by LP (``LPRelaxation/tightenedPreActivations(layer:neurons:box:bounds:splits:deadline:)``),
    /// layer by layer, CROWN re-run after each layer; children inherit them (bounds are intersected with the
    /// parent's). Spends at most `lpTighteningShare` of the time left.
    private mutating func tightenedByLinearProgramming(_ start: IntermediateBounds, node: SearchNode)
        -> IntermediateBounds
    {
        let reluLayers = problem.network.layers.indices.filter { problem.network.layers[$0] == .relu }
        guard reluLayers.count >= 2, let lp = relaxationInstance() else { return start }
        let deadline = ContinuousClock.now + .seconds(secondsLeft * options.lpTighteningShare)
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
