import Bounds
@testable import Branching
import Network
import Tensor
import Testing
import TestSupport

@Test func babsrHandComputedScores() throws {
    // Row 1 (−y) is the worst; λ = [−1, −1]. Intercept cost −u·l/(u − l): neuron 0: 1.5·2.5/4 = 0.9375;
    // neuron 1: 2·2/4 = 1 (plus 1e-9 × width as a tie-break).
    let ctx = try context(handNetwork(), box: unitBox, objective: Matrix([[1], [-1]]))
    #expect(ctx.objectiveRows == [1])
    let candidates = ctx.unstableNeurons
    #expect(candidates == [NeuronID(layer: 1, neuron: 0), NeuronID(layer: 1, neuron: 1)])
    let scores = BaBSR().score(candidates, context: ctx)
    #expect(abs(scores[0] - 0.9375) < 1e-6 && abs(scores[1] - 1) < 1e-6)
    #expect(BaBSR().selectNeuron(ctx) == NeuronID(layer: 1, neuron: 1))
}

@Test func babsrBiasAwareHandComputedScores() throws {
    // Row 1 (−y), λ = [−1, −1]; chord slope r = u/(u − l), intercept i = −u·l/(u − l), bias b = [0.5, 0].
    // Neuron 0: r = 0.625, i = 0.9375, bλ = −0.5: |max(−0.5·(−0.375), −0.5·0.625) − 0.9375| = |0.1875 − 0.9375|.
    // Neuron 1: b = 0: |0 − 1| = 1.
    let network = try handNetwork()
    let ctx = try context(network, box: unitBox, objective: Matrix([[1], [-1]]))
    let bias = PreActivationBias(network: network)
    #expect(bias.reluLayers == [1] && bias.stages == [[0.5, 0], [0]])
    let scores = BaBSR.biasAwareScore(ctx.unstableNeurons, context: ctx, bias: bias)
    #expect(abs(scores[0] - 0.75) < 1e-6 && abs(scores[1] - 1) < 1e-6)  // the bounds carry soundness margins
}

@Test(arguments: BranchingChoice.builtIn)
func heuristicsNeverChooseSplitOrStableNeurons(choice: BranchingChoice) throws {
    let heuristic = try choice.makeHeuristic()
    let objective = Matrix([[1], [-1]])
    let one = SplitSet([ReLUSplit(layer: 1, neuron: 0, isActive: true)])
    #expect(heuristic.selectNeuron(try context(handNetwork(), box: unitBox, objective: objective, splits: one))
            == NeuronID(layer: 1, neuron: 1))
    let both = one.adding(ReLUSplit(layer: 1, neuron: 1, isActive: false))
    #expect(heuristic.selectNeuron(try context(handNetwork(), box: unitBox, objective: objective, splits: both)) == nil)
    // On [0.5, 1] × [−0.2, 0.2] both neurons are stable.
    let stableBox = Box(lower: [0.5, -0.2], upper: [1, 0.2])
    #expect(heuristic.selectNeuron(try context(handNetwork(), box: stableBox, objective: objective)) == nil)
    #expect(BranchingChoice(argument: choice.description) == choice)
}

@Test func inputSmearHandComputed() {
    let bound = LinearBoundResult(lower: [0], inputCoefficients: Matrix([[1, -3, 0]]), inputConstants: [0],
                                  reluCoefficients: [:])
    let box = Box(lower: [0, 0, 0], upper: [1, 0.5, 4])
    let smear = InputSmear()
    #expect(smear.scores(box: box, bound: bound, rows: [0]) == [1, 1.5, 0])
    #expect(smear.choose(box: box, bound: bound, rows: [0]) == 1)
    #expect(smear.choose(box: Box(point: [0, 0, 0]), bound: bound, rows: [0]) == nil)
    // Relative to a root box: coordinate 1 is still chosen while coordinate 2 is at most 32 times relatively
    // wider; beyond that the relatively widest coordinate is bisected.
    let root = Box(lower: [0, 0, 0], upper: [1, 16, 4])
    #expect(smear.choose(box: box, bound: bound, rows: [0], rootBox: root) == 1)
    let narrow = Box(lower: [0, 0, 0], upper: [1, 0.25, 4])
    #expect(smear.scores(box: narrow, bound: bound, rows: [0]) == [1, 0.75, 0])
    #expect(smear.choose(box: narrow, bound: bound, rows: [0], rootBox: Box(lower: [0, 0, 0], upper: [1, 16, 4])) == 0)
    let flat = LinearBoundResult(lower: [0], inputCoefficients: Matrix([[0, 1, 0]]), inputConstants: [0],
                                 reluCoefficients: [:])
    let sliver = Box(lower: [0, 0, 0], upper: [0.02, 0.01, 4])
    #expect(smear.choose(box: sliver, bound: flat, rows: [0], rootBox: Box(lower: [0, 0, 0], upper: [1, 1, 4])) == 2)
    #expect(InputSmear(balance: 1000).choose(box: sliver, bound: flat, rows: [0],
                                             rootBox: Box(lower: [0, 0, 0], upper: [1, 1, 4])) == 1)
}

/// A few steps of branch and bound on the worst leaf raise the global lower bound.
@Test(arguments: BranchingChoice.builtIn)
func branchingRaisesTheGlobalBound(choice: BranchingChoice) throws {
    let network = try randomMLP([3, 12, 12, 2], seed: 9)
    let propagator = try BoundPropagator(network: network)
    let box = Box(lower: [-0.6, -0.6, -0.6], upper: [0.6, 0.6, 0.6])
    let objective = Matrix([[1, -1]])
    struct Leaf { var splits: SplitSet; var bounds: IntermediateBounds; var lower: Double }
    let rootBounds = propagator.intermediateBounds(over: box)
    let root = propagator.lowerBounds(of: objective, over: box, intermediate: rootBounds).lower[0]
    var leaves = [Leaf(splits: SplitSet(), bounds: rootBounds, lower: root)]
    for _ in 0..<12 {
        let worst = leaves.indices.min { leaves[$0].lower < leaves[$1].lower }!
        let leaf = leaves.remove(at: worst)
        let bound = propagator.lowerBounds(of: objective, over: box, intermediate: leaf.bounds, splits: leaf.splits)
        let ctx = makeContext(propagator, box: box, bounds: leaf.bounds, splits: leaf.splits, objective: objective,
                              bound: bound)
        guard let neuron = try choice.makeHeuristic().selectNeuron(ctx) else { leaves.append(leaf); break }
        for active in [true, false] {
            let splits = leaf.splits.adding(ReLUSplit(layer: neuron.layer, neuron: neuron.neuron, isActive: active))
            let bounds = propagator.intermediateBounds(over: box, splits: splits, reusing: leaf.bounds,
                                                       fromLayer: neuron.layer)
            if bounds.isInfeasible { continue }
            let lower = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, splits: splits).lower[0]
            leaves.append(Leaf(splits: splits, bounds: bounds, lower: max(lower, leaf.lower)))
        }
    }
    let global = leaves.map(\.lower).min() ?? .infinity
    // Observed: root −1.06, after 12 splits about −0.40 with BaBSR and FSB, −0.97 with the widest-interval baseline.
    #expect(global > root + (choice == .widest ? 0.05 : 0.25), "\(choice): root \(root), after branching \(global)")
}

@Test func inputGradientSmearHandComputed() throws {
    let network = try handNetwork()
    let propagator = try BoundPropagator(network: network)
    let objective = Matrix([[1]])
    let smear = InputGradientSmear()
    // Both ReLUs unstable: each derivative in [0, 1], so ∂y/∂x ∈ [0, 2] × [−1, 1].
    let unstable = propagator.intermediateBounds(over: unitBox)
    #expect(smear.scores(network: network, box: unitBox, bounds: unstable, splits: SplitSet(), objective: objective,
                         rows: [0]) == [4, 2])
    // Both active: the gradient is exactly (2, 0).
    let activeBox = Box(lower: [0.5, -0.2], upper: [1, 0.2])
    let active = propagator.intermediateBounds(over: activeBox)
    let s = smear.scores(network: network, box: activeBox, bounds: active, splits: SplitSet(), objective: objective,
                         rows: [0])
    #expect(abs(s[0] - 1) < 1e-12 && abs(s[1]) < 1e-12)
    // A split inactive neuron contributes nothing: only relu(x₁ + x₂ + 0.5) is left, derivative in [0, 1] each.
    let inactive = SplitSet([ReLUSplit(layer: 1, neuron: 1, isActive: false)])
    let split = propagator.intermediateBounds(over: unitBox, splits: inactive)
    #expect(smear.scores(network: network, box: unitBox, bounds: split, splits: inactive, objective: objective,
                         rows: [0]) == [2, 2])
}

/// The interval gradient contains the gradient at every sampled point of the box.
@Test(arguments: [UInt64(3), 4, 5])
func inputGradientIntervalContainsSampledGradients(seed: UInt64) throws {
    let network = try randomMLP([4, 10, 10, 3], seed: seed)
    let propagator = try BoundPropagator(network: network)
    let box = Box(lower: [-0.4, -0.3, -0.2, -0.5], upper: [0.3, 0.4, 0.1, 0.2])
    let bounds = propagator.intermediateBounds(over: box)
    let objective = Matrix([[1, -1, 0.5]])
    let (center, radius) = InputGradientSmear().gradientInterval(
        network: network, bounds: bounds, splits: SplitSet(), output: objective.row(0))
    var rng = SplitMix64(seed: seed)
    for _ in 0..<500 {
        let x = (0..<4).map { Double.random(in: box.lower[$0]...box.upper[$0], using: &rng) }
        let g = network.valueAndGradient(at: x, outputWeights: objective.row(0)).gradient
        for j in 0..<4 { #expect(abs(g[j] - center[j]) <= radius[j] + 1e-9) }
    }
}

@Test func branchingChoicesParseWithTheirParameter() throws {
    #expect(BranchingChoice(argument: "fsb") == .fsb)
    let learned = try #require(BranchingChoice(argument: "learned:models/gnn.json"))
    #expect(learned.kind == .learned && learned.parameter == "models/gnn.json")
    #expect(learned.description == "learned:models/gnn.json")
    #expect(BranchingChoice(argument: "learned") == nil, "a learned heuristic needs its model file")
    #expect(BranchingChoice(argument: "babsr:x") == nil && BranchingChoice(argument: "gnn:") == nil)
    #expect(BranchingChoice(argument: "gnn") == .gnn)
    let file = try #require(BranchingChoice(argument: "gnn:models/gnn.json"))
    #expect(file.kind == .gnn && file.parameter == "models/gnn.json")
    // A missing model file is a typed error naming the file (learned: is gnn:'s old name).
    #expect(throws: BranchingError.badModel(path: "models/gnn.json", problem: "cannot read the file")) {
        try learned.makeHeuristic()
    }
    #expect((try BranchingChoice.gnn.makeHeuristic()) is GNNBranching, "the bundled model loads")
}

@Test func strongBranchingParsesItsCandidateLimit() throws {
    #expect(BranchingChoice(argument: "strong") == .strong)
    let limited = try #require(BranchingChoice(argument: "strong:8"))
    #expect((try limited.makeHeuristic() as? StrongBranching)?.candidateLimit == 8)
    #expect(BranchingChoice(argument: "strong:0") == nil && BranchingChoice(argument: "strong:x") == nil)
    #expect(BranchingChoice(argument: "strong:") == nil)
}

/// Strong branching's score is the worse child's improvement, recomputed here through the children's own bounds:
/// on random networks it picks a neuron whose worse child is at least as good as every other candidate's.
@Test(arguments: [UInt64(11), 12, 13])
func strongBranchingPicksTheBestWorseChild(seed: UInt64) throws {
    let network = try randomMLP([3, 8, 8, 1], seed: seed)
    let box = Box(lower: [-1, -1, -1], upper: [1, 1, 1])
    let ctx = try context(network, box: box, objective: Matrix([[1], [-1]]))
    let candidates = ctx.unstableNeurons
    guard candidates.count >= 2 else { return }
    let worse = candidates.map { n in
        [true, false].map { min(0, ctx.children.worstMargin(splitting: n, active: $0)) }.min()!
    }
    let chosen = try #require(StrongBranching().selectNeuron(ctx))
    let best = worse.max()!
    #expect(worse[candidates.firstIndex(of: chosen)!] >= best - 1e-9)
    // Limited to BaBSR's best two, it picks among them.
    let babsr = BaBSR().score(candidates, context: ctx)
    let top = StrongBranching().topK(babsr, 2).map { candidates[$0] }
    #expect(top.contains(try #require(StrongBranching(candidateLimit: 2).selectNeuron(ctx))))
}

/// FSB evaluates BaBSR's best four candidates and picks the one whose worse (default) or better child has the
/// largest worst margin, each recomputed here through the context's ``ChildBounder`` (children bounded as the
/// search bounds its nodes: CROWN or interval); `fsb:better` and `fsb:worse` parse to those reductions and nothing
/// else does.
@Test(arguments: [UInt64(11), 12, 13, 14], [BoundMethod.crown, .interval])
func fsbPicksTheBestChildAmongBaBSRsTopCandidates(seed: UInt64, nodeBounds: BoundMethod) throws {
    let network = try randomMLP([3, 10, 10, 1], seed: seed)
    var ctx = try context(network, box: Box(lower: [-1, -1, -1], upper: [1, 1, 1]), objective: Matrix([[1], [-1]]))
    ctx.children.intermediateMethod = nodeBounds
    let candidates = ctx.unstableNeurons
    try #require(candidates.count >= 5)
    let top = FSB().topK(BaBSR().score(candidates, context: ctx), 4)
    for reduction in FSB.ChildReduction.allCases {
        let margins = top.map { i in
            let both = [true, false].map { min(1e11, ctx.children.worstMargin(splitting: candidates[i], active: $0)) }
            return reduction == .better ? both.max()! : both.min()!
        }
        let fsb = try #require(BranchingChoice(argument: "fsb:\(reduction.rawValue)")?.makeHeuristic() as? FSB)
        #expect(fsb.reduction == reduction && fsb.candidates == 4)
        let chosen = try #require(fsb.selectNeuron(ctx))
        let k = try #require(top.firstIndex { candidates[$0] == chosen }, "FSB chose outside BaBSR's top four")
        #expect(margins[k] >= margins.max()! - 1e-9)
    }
    #expect((try BranchingChoice.fsb.makeHeuristic() as? FSB)?.reduction == .worse)
    #expect(BranchingChoice(argument: "fsb:max") == nil && BranchingChoice(argument: "fsb:") == nil)
}

/// k-FSB bounds, per ReLU layer, the best five candidates by each BaBSR score, and picks the one
/// whose better child (on the node's bounds clamped by the split) has the largest worst margin.
@Test(arguments: [UInt64(11), 12, 13])
func kfsbPicksTheBestBetterChildAmongEachLayersCandidates(seed: UInt64) throws {
    let network = try randomMLP([3, 12, 12, 12, 1], seed: seed)
    let ctx = try context(network, box: Box(lower: [-1, -1, -1], upper: [1, 1, 1]), objective: Matrix([[1], [-1]]))
    let candidates = ctx.unstableNeurons
    let bias = PreActivationBias(network: network)
    let full = BaBSR.biasAwareScore(candidates, context: ctx, bias: bias)
    let intercept = BaBSR().score(candidates, context: ctx)
    var expected = Set<Int>()
    for layer in bias.reluLayers {
        let own = candidates.indices.filter { candidates[$0].layer == layer }
        for score in [full, intercept] {
            expected.formUnion(own.filter { score[$0] > 1e-4 }.sorted { score[$0] > score[$1] }.prefix(5))
        }
    }
    try #require(!expected.isEmpty)
    var children = ctx.children
    children.intermediateMethod = .interval
    let margin = { (i: Int) in
        [true, false].map { min(1e11, children.worstMargin(splitting: candidates[i], active: $0)) }.max()!
    }
    let kfsb = try #require(BranchingChoice(argument: "kfsb")?.makeHeuristic() as? FSB)
    let chosen = try #require(kfsb.selectNeuron(ctx))
    let k = try #require(candidates.firstIndex(of: chosen))
    #expect(expected.contains(k), "k-FSB chose outside the layers' candidates")
    #expect(margin(k) >= expected.map(margin).max()! - 1e-9)
}

/// Past the search's deadline, strong branching and FSB bound no child and fall back to BaBSR's order.
@Test func childBoundingHeuristicsStopAtTheDeadline() throws {
    let network = try randomMLP([3, 8, 8, 1], seed: 12)
    var ctx = try context(network, box: Box(lower: [-1, -1, -1], upper: [1, 1, 1]), objective: Matrix([[1], [-1]]))
    ctx.deadline = .now - .seconds(1)
    #expect(ctx.isPastDeadline)
    let babsr = BaBSR().selectNeuron(ctx)
    #expect(StrongBranching().selectNeuron(ctx) == babsr && FSB().selectNeuron(ctx) == babsr)
}
