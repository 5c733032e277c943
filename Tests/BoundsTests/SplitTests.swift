@testable import Bounds
import Network
import Tensor
import Testing

/// Splits that agree with the activation pattern of one point of the box, so that part of the box satisfies them.
private func splits(agreeingWith x: [Double], network: Network, bounds: IntermediateBounds, perLayer: Int) -> SplitSet {
    let trace = network.trace(x)
    var set = SplitSet()
    for k in network.layers.indices where network.layers[k] == .relu {
        let t = bounds.tensors[k]
        let unstable = (0..<t.dimension).filter { t.lower[$0] < 0 && t.upper[$0] > 0 }
        for j in unstable.prefix(perLayer) { set = set.adding(ReLUSplit(layer: k, neuron: j, isActive: trace[k][j] >= 0)) }
    }
    return set
}

/// A random MLP with its propagator, a box of radius 0.5, an objective, the root's bounds and samples of the box.
private struct RandomSetup {
    let network: Network
    let propagator: BoundPropagator
    let box: Box
    let objective: Matrix
    let root: IntermediateBounds
    let samples: [[Double]]

    init(seed: UInt64, rows: Int, samples count: Int = 4000) throws {
        network = TestNetworks.randomMLP(seed: seed)
        propagator = try BoundPropagator(network: network)
        box = TestNetworks.box(network.inputCount, radius: 0.5, seed: seed)
        objective = TestNetworks.objective(rows: rows, network.outputCount, seed: seed)
        root = propagator.intermediateBounds(over: box)
        samples = TestNetworks.samples(box, count: count, seed: seed)
    }
}

@Test(arguments: [1, 2, 3, 4, 5, 6])
func splitBoundsAreSoundAndNoLooser(seed: UInt64) throws {
    let setup = try RandomSetup(seed: seed, rows: 3)
    let (network, propagator, box, objective, parent, samples) =
        (setup.network, setup.propagator, setup.box, setup.objective, setup.root, setup.samples)
    let set = splits(agreeingWith: samples[1], network: network, bounds: parent, perLayer: 2)
    try #require(!set.isEmpty)
    let from = set.layers.first!
    let child = propagator.intermediateBounds(over: box, splits: set, reusing: parent, fromLayer: from)
    let fresh = propagator.intermediateBounds(over: box, splits: set)
    #expect(!child.isInfeasible && !fresh.isInfeasible)
    for (c, p) in zip(child.tensors, parent.tensors) {
        for j in 0..<c.dimension { #expect(c.lower[j] >= p.lower[j] && c.upper[j] <= p.upper[j]) }
    }
    for s in set.splits {
        let t = child.tensors[s.layer]
        #expect(s.isActive ? t.lower[s.neuron] >= 0 : t.upper[s.neuron] <= 0)
    }
    let results = [child, fresh].map {
        propagator.lowerBounds(of: objective, over: box, intermediate: $0, splits: set)
    }
    let checker = SoundnessChecker(network: network, objective: objective, splits: set)
    let report = checker.check(samples: samples, bounds: [child, fresh], results: results)
    #expect(report.checked > 0)
    #expect(report.tensorViolations == 0 && report.objectiveViolations == 0 && report.linearBoundViolations == 0,
            "\(report)")
}

/// beta-CROWN (optimised slopes and split multipliers) on random split sets — 2–4 neurons drawn among all the
/// unstable ones, each with a random sign — checked on 10,000 samples inside each split region: no intermediate
/// bound, objective bound or linear bound is ever violated.
@Test(arguments: [61, 62, 63, 64])
func randomSplitSetsAreSoundOnTenThousandSamplesOfTheirRegion(seed: UInt64) throws {
    let network = TestNetworks.randomMLP(seed: seed)
    let propagator = try BoundPropagator(network: network)
    let box = TestNetworks.box(network.inputCount, radius: 0.5, seed: seed)
    let objective = TestNetworks.objective(rows: 3, network.outputCount, seed: seed)
    let root = propagator.intermediateBounds(over: box)
    let unstable = propagator.reluLayers.flatMap { k in
        (0..<root.tensors[k].dimension).filter { root.isUnstable(layer: k, neuron: $0) }.map { (k, $0) }
    }
    try #require(unstable.count >= 4)
    var rng = SplitMix64(seed: seed ^ 0xBE7A)
    let probe = TestNetworks.samples(box, count: 2_000, seed: seed)
    var chosen: (SplitSet, IntermediateBounds)?
    var draws = 0
    while chosen == nil, draws < 100 {
        draws += 1
        let picked = unstable.shuffled(using: &rng).prefix(Int.random(in: 2...4, using: &rng))
        let set = SplitSet(picked.map { ReLUSplit(layer: $0.0, neuron: $0.1, isActive: Bool.random(using: &rng)) })
        let bounds = propagator.intermediateBounds(over: box, splits: set)
        let checker = SoundnessChecker(network: network, objective: objective, splits: set)
        // A region holding at least a tenth of the box, so that 10,000 of its points come cheaply.
        if !bounds.isInfeasible, checker.inside(probe).count >= probe.count / 10 { chosen = (set, bounds) }
    }
    let (set, bounds) = try #require(chosen)
    let checker = SoundnessChecker(network: network, objective: objective, splits: set)
    var inside: [[Double]] = []
    var batch: UInt64 = 0
    while inside.count < 10_000, batch < 20 {
        batch += 1
        inside += checker.inside(TestNetworks.samples(box, count: 20_000, seed: seed &+ 1_000 &* batch))
    }
    try #require(inside.count >= 10_000)
    inside.removeLast(inside.count - 10_000)
    let result = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, splits: set)
    let report = checker.check(samples: inside, bounds: [bounds], results: [result])
    #expect(report.checked == 10_000)
    #expect(report.tensorViolations == 0 && report.objectiveViolations == 0 && report.linearBoundViolations == 0,
            "\(report)")
}

@Test func contradictorySplitsAreInfeasible() throws {
    let network = try Network(inputShape: [1, 2], layers: [
        .dense(Dense(weights: Matrix([[1, 1], [1, -1]]), bias: [0, 0])), .relu,
        .dense(Dense(weights: Matrix([[1, 1]]), bias: [0])),
    ])
    let propagator = try BoundPropagator(network: network)
    // z₁ = x₁ + x₂ ∈ [1, 2] on this box, so "z₁ ≤ 0" is impossible.
    let box = Box(lower: [0.5, 0.5], upper: [1, 1])
    let inactive = SplitSet().adding(ReLUSplit(layer: 1, neuron: 0, isActive: false))
    let bounds = propagator.intermediateBounds(over: box, splits: inactive)
    #expect(bounds.isInfeasible)
    let result = propagator.lowerBounds(of: Matrix([[1]]), over: box, intermediate: bounds, splits: inactive)
    #expect(result.lower == [.infinity])
    // The consistent decision is feasible.
    let active = SplitSet().adding(ReLUSplit(layer: 1, neuron: 0, isActive: true))
    #expect(!propagator.intermediateBounds(over: box, splits: active).isInfeasible)
}

@Test func deepContradictionIsDetectedThroughLaterLayers() throws {
    // h = relu(x), g = relu(h − 2) over x ∈ [−1, 1]: h ≤ 1 so g's pre-activation is ≤ −1; "active" is infeasible.
    let network = try Network(inputShape: [1, 1], layers: [
        .dense(Dense(weights: Matrix([[1]]), bias: [0])), .relu,
        .dense(Dense(weights: Matrix([[1]]), bias: [-2])), .relu,
    ])
    let propagator = try BoundPropagator(network: network)
    let set = SplitSet([ReLUSplit(layer: 3, neuron: 0, isActive: true)])
    #expect(propagator.intermediateBounds(over: Box(lower: [-1], upper: [1]), splits: set).isInfeasible)
}

@Test func splitSetLookupAndValueSemantics() {
    let a = SplitSet()
    let b = a.adding(ReLUSplit(layer: 3, neuron: 7, isActive: true))
    let c = b.adding(ReLUSplit(layer: 1, neuron: 2, isActive: false))
    #expect(a.isEmpty && b.count == 1 && c.count == 2)
    #expect(c.state(layer: 3, neuron: 7) == true && c.state(layer: 1, neuron: 2) == false)
    #expect(c.state(layer: 1, neuron: 3) == nil && b.state(layer: 1, neuron: 2) == nil)
    #expect(c.layers == [1, 3])
    #expect(c == SplitSet(c.splits))
}

@Test func betaCrownUsesTheSplitConstraint() throws {
    // y = x₁ + ½x₂ (through a stable ReLU) over [−1, 1]², split z₁ = x₁ + x₂ ≥ 0. Without the constraint the
    // minimum is −1.5; with it the LP minimum is −0.5 (at x = (−1, 1)), which the multiplier β ∈ [½, 1] attains:
    // min over the box of (1 − β)x₁ + (½ − β)x₂ = −|1 − β| − |½ − β| = −0.5.
    let network = try Network(inputShape: [1, 2], layers: [
        .dense(Dense(weights: Matrix([[1, 1], [1, 0.5]]), bias: [0, 3])), .relu,
        .dense(Dense(weights: Matrix([[0, 1]]), bias: [-3])),
    ])
    let propagator = try BoundPropagator(network: network)
    let box = Box(lower: [-1, -1], upper: [1, 1])
    let splits = SplitSet([ReLUSplit(layer: 1, neuron: 0, isActive: true)])
    let bounds = propagator.intermediateBounds(over: box, splits: splits)
    let objective = Matrix([[1]])
    let alphaOnly = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, splits: splits,
                                           options: BoundOptions(optimizeSplitMultipliers: false))
    let beta = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, splits: splits)
    #expect(abs(alphaOnly.lower[0] + 1.5) < 1e-7)
    #expect(abs(beta.lower[0] + 0.5) < 1e-6 && beta.lower[0] <= -0.5)
    // The linear bound holds on the split region: a·x + c ≤ y wherever x₁ + x₂ ≥ 0.
    let a = beta.inputCoefficients.row(0), c = beta.inputConstants[0]
    for x in [[-1.0, 1.0], [1, -1], [1, 1], [0, 0], [-0.5, 0.7]] {
        #expect(a[0] * x[0] + a[1] * x[1] + c <= x[0] + 0.5 * x[1] + 1e-9)
    }
}

@Test func betaCrownImprovesSplitBoundsInAggregate() throws {
    var gain = 0.0
    for seed in UInt64(30)..<UInt64(40) {
        let network = TestNetworks.randomMLP(seed: seed)
        let propagator = try BoundPropagator(network: network)
        let box = TestNetworks.box(network.inputCount, radius: 0.5, seed: seed)
        let objective = TestNetworks.objective(rows: 2, network.outputCount, seed: seed)
        let parent = propagator.intermediateBounds(over: box)
        let set = splits(agreeingWith: box.center, network: network, bounds: parent, perLayer: 2)
        let bounds = propagator.intermediateBounds(over: box, splits: set)
        if bounds.isInfeasible { continue }
        let without = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, splits: set,
                                             options: BoundOptions(optimizeSplitMultipliers: false))
        let with = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, splits: set)
        gain += zip(with.lower, without.lower).reduce(0) { $0 + $1.0 - $1.1 }
    }
    #expect(gain > 0)
}

@Test(arguments: [41, 42, 43, 44])
func warmStartedBoundsAreSoundAndNeverLoseTheirStart(seed: UInt64) throws {
    let setup = try RandomSetup(seed: seed, rows: 3)
    let (network, propagator, box, objective, root, samples) =
        (setup.network, setup.propagator, setup.box, setup.objective, setup.root, setup.samples)
    let parentSplits = splits(agreeingWith: samples[0], network: network, bounds: root, perLayer: 1)
    let parentBounds = propagator.intermediateBounds(over: box, splits: parentSplits)
    let parent = propagator.lowerBounds(
        of: objective, over: box, intermediate: parentBounds, splits: parentSplits, keepingSlopes: true)
    let slopes = try #require(parent.slopes)
    #expect(slopes.rowCount == 3)
    // Restarting the same problem from its own optimum reproduces that bound at least (its first pass is it).
    let again = propagator.lowerBounds(
        of: objective, over: box, intermediate: parentBounds, splits: parentSplits, warmStart: slopes)
    for (a, p) in zip(again.lower, parent.lower) { #expect(a >= p - 1e-12) }
    // A child (one more split, agreeing with a sample) started from the parent's slopes and multipliers: sound.
    let childSplits = splits(agreeingWith: samples[0], network: network, bounds: root, perLayer: 2)
    let childBounds = propagator.intermediateBounds(over: box, splits: childSplits)
    let child = propagator.lowerBounds(
        of: objective, over: box, intermediate: childBounds, splits: childSplits, warmStart: slopes)
    let checker = SoundnessChecker(network: network, objective: objective, splits: childSplits)
    let report = checker.check(samples: samples, bounds: [childBounds], results: [child])
    #expect(report.checked > 0)
    #expect(report.objectiveViolations == 0 && report.linearBoundViolations == 0, "\(report)")
    // Rows are selected consistently: the warm start for rows [2, 0] is those rows' parameters.
    let picked = slopes.selectingRows([2, 0])
    #expect(picked.rowCount == 2)
    let reordered = propagator.lowerBounds(
        of: objective.selectingRows([2, 0]), over: box, intermediate: parentBounds, splits: parentSplits,
        warmStart: picked)
    #expect(reordered.lower[0] >= parent.lower[2] - 1e-12 && reordered.lower[1] >= parent.lower[0] - 1e-12)
}

@Test func warmStartValuesOutsideTheirRangeAreProjected() throws {
    let setup = try RandomSetup(seed: 45, rows: 2, samples: 2000)
    let (network, propagator, box, objective, bounds) =
        (setup.network, setup.propagator, setup.box, setup.objective, setup.root)
    let result = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, keepingSlopes: true)
    var slopes = try #require(result.slopes)
    for k in slopes.alpha.keys {
        for i in slopes.alpha[k]!.values.indices {
            slopes.alpha[k]!.values[i] = i % 3 == 0 ? 7 : (i % 3 == 1 ? -3 : .nan)
        }
    }
    let restarted = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, warmStart: slopes)
    let report = SoundnessChecker(network: network, objective: objective, splits: SplitSet())
        .check(samples: setup.samples, bounds: [bounds], results: [restarted])
    #expect(report.objectiveViolations == 0 && report.linearBoundViolations == 0, "\(report)")
}

@Test(arguments: [51, 52, 53])
func batchedObjectiveBoundsEqualSingleOnes(seed: UInt64) throws {
    let setup = try RandomSetup(seed: seed, rows: 1, samples: 8)
    let (network, propagator, box, root, samples) =
        (setup.network, setup.propagator, setup.box, setup.root, setup.samples)
    // Nodes of one search: different split sets and sub-boxes, objectives of different row counts, one warm start.
    var queries: [ObjectiveQuery] = []
    for (k, x) in samples.prefix(5).enumerated() {
        let set = splits(agreeingWith: x, network: network, bounds: root, perLayer: k % 3)
        let sub = k == 4 ? Box(lower: box.lower, upper: zip(box.lower, box.upper).map { ($0 + $1) / 2 }) : box
        let bounds = propagator.intermediateBounds(over: sub, splits: set)
        let objective = TestNetworks.objective(rows: 1 + k % 3, network.outputCount, seed: seed + UInt64(k))
        queries.append(ObjectiveQuery(objective: objective, box: sub, intermediate: bounds, splits: set))
    }
    queries[2].warmStart = propagator.lowerBounds(
        of: queries[2].objective, over: box, intermediate: root, keepingSlopes: true).slopes
    queries[3].keepsSlopes = true
    for options in [BoundOptions(), BoundOptions(method: .crown)] {
        let batched = propagator.lowerBounds(of: queries, options: options)
        for (q, b) in zip(queries, batched) {
            let single = propagator.lowerBounds(
                of: q.objective, over: q.box, intermediate: q.intermediate, splits: q.splits, options: options,
                warmStart: q.warmStart)
            for (x, y) in zip(b.lower, single.lower) { #expect(x == y || abs(x - y) <= 1e-9 * max(1, abs(y))) }
            for (x, y) in zip(b.inputCoefficients.storage, single.inputCoefficients.storage) {
                #expect(abs(x - y) <= 1e-9 * max(1, abs(y)))
            }
        }
    }
}

/// A stop criterion changes when a problem stops, never whether it is met: each problem of a batch meets it with
/// the criterion exactly when it meets it after every iteration, a problem that stops keeps a bound that meets it,
/// and the problems that never meet it get the same bounds as without one (thresholds at the unstopped bound's
/// level, so that some problems stop early and some never do).
@Test(arguments: [54, 55])
func stopCriterionStopsOnlyProblemsThatMeetIt(seed: UInt64) throws {
    let setup = try RandomSetup(seed: seed, rows: 1, samples: 8)
    var queries: [ObjectiveQuery] = []
    for (k, x) in setup.samples.prefix(6).enumerated() {
        let set = splits(agreeingWith: x, network: setup.network, bounds: setup.root, perLayer: k % 3)
        let objective = TestNetworks.objective(rows: 2, setup.network.outputCount, seed: seed + UInt64(k))
        queries.append(ObjectiveQuery(
            objective: objective, box: setup.box, intermediate: setup.propagator.intermediateBounds(over: setup.box, splits: set),
            splits: set))
    }
    let crown = setup.propagator.lowerBounds(of: queries, options: BoundOptions(method: .crown))
    let full = setup.propagator.lowerBounds(of: queries, options: BoundOptions())
    var stopped = queries
    for k in stopped.indices {
        // Row 0 alone refutes region 0; region 1 needs row 1. Thresholds between CROWN's and the optimum for even
        // problems (met during the ascent), above the optimum for odd ones (never met).
        let level = { (r: Int) in k % 2 == 0 ? (crown[k].lower[r] + full[k].lower[r]) / 2 : full[k].lower[r] + 1 }
        stopped[k].stop = StopCriterion(groups: [[0], [1]], thresholds: [level(0), level(1)])
    }
    let results = setup.propagator.lowerBounds(of: stopped, options: BoundOptions())
    var early = 0
    for k in queries.indices {
        let stop = try #require(stopped[k].stop)
        #expect(stop.isMet(by: results[k].lower) == stop.isMet(by: full[k].lower), "problem \(k)")
        if !stop.isMet(by: results[k].lower) {
            #expect(zip(results[k].lower, full[k].lower).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) })
        } else if results[k].lower != full[k].lower {
            early += 1
        }
    }
    #expect(early > 0)
    #expect(StopCriterion(groups: [], thresholds: []).isMet(by: []) == false)
    #expect(StopCriterion(groups: [[0, 1]], thresholds: [0, 0]).isMet(by: [.nan, 0.5]))
    #expect(!StopCriterion(groups: [[0], []], thresholds: [0]).isMet(by: [1]))
}

/// Nodes bounded together (``BoundPropagator/intermediateBounds(of:method:intermediateOptions:)``, one batched
/// back-substitution per layer, in memory-bounded groups) get the bounds each gets alone: children of a root
/// split at different layers, a sub-box, a node without a parent and an infeasible one (a neuron the root proves
/// active, split inactive), on an MLP and a
/// convolutional network, by CROWN and by intervals (in one group and with a budget that forces one node per
/// group) and by alpha-CROWN. The single-node call runs the same code with one node, so each batched result is
/// also checked on its own: no sampled point of the node's region outside it, and never looser than the parent's.
@Test(arguments: [(false, 1 as UInt64), (false, 2), (true, 3)])
func nodesBoundedTogetherGetTheirOwnBounds(convolutional: Bool, seed: UInt64) throws {
    let network = convolutional ? TestNetworks.convNet(seed: seed) : TestNetworks.randomMLP(seed: seed)
    let propagator = try BoundPropagator(network: network)
    let box = TestNetworks.box(network.inputCount, radius: 0.5, seed: seed)
    let root = propagator.intermediateBounds(over: box)
    let unstable = propagator.reluLayers.flatMap { k in
        (0..<root.tensors[k].dimension).filter { root.isUnstable(layer: k, neuron: $0) }.map { (k, $0) }
    }
    try #require(unstable.count >= 4)
    var rng = SplitMix64(seed: seed ^ 0xBA7C)
    var queries: [IntermediateQuery] = []
    for (k, j) in unstable.shuffled(using: &rng).prefix(6) {
        for active in [false, true] {
            queries.append(IntermediateQuery(
                box: box, splits: SplitSet([ReLUSplit(layer: k, neuron: j, isActive: active)]), parent: root,
                fromLayer: k))
        }
    }
    var half = box
    for d in 0..<half.dimension { half.upper[d] = (half.lower[d] + half.upper[d]) / 2 }
    queries.append(IntermediateQuery(box: half, parent: root))
    let (k, j) = unstable[0]
    queries.append(IntermediateQuery(box: box, splits: SplitSet([ReLUSplit(layer: k, neuron: j, isActive: true)])))
    // A neuron the root proves active, split inactive: no input satisfies the split.
    let stable = try #require(propagator.reluLayers.lazy.compactMap { k in
        (0..<root.tensors[k].dimension).first { root.tensors[k].lower[$0] > 0 }.map { (k, $0) }
    }.first)
    let contradictory = IntermediateQuery(
        box: box, splits: SplitSet([ReLUSplit(layer: stable.0, neuron: stable.1, isActive: false)]), parent: root,
        fromLayer: stable.0)
    queries.append(contradictory)
    let samples = TestNetworks.samples(box, count: 2_000, seed: seed ^ 0x5A)
    for method in [BoundMethod.crown, .interval, .alphaCrown] {
        var options = BoundOptions()
        options.alphaIterations = 5
        let alone = queries.map {
            propagator.intermediateBounds(over: $0.box, splits: $0.splits, method: method, reusing: $0.parent,
                                          fromLayer: $0.fromLayer, intermediateOptions: options)
        }
        #expect(alone.last!.isInfeasible)
        // alpha-CROWN's chunks change with the budget (its Adam steps then round differently): one budget.
        for budget in method == .alphaCrown ? [options.slopeMemoryBudget] : [64 << 20, 1] {
            options.slopeMemoryBudget = budget
            let together = propagator.intermediateBounds(of: queries, method: method, intermediateOptions: options)
            for (query, (a, b)) in zip(queries, zip(alone, together)) {
                #expect(a.isInfeasible == b.isInfeasible)
                guard !a.isInfeasible else { continue }
                expectEqualBounds(a, b)
                // Sound on the node's region (sampled), and never looser than the parent's bounds.
                let checker = SoundnessChecker(network: network, objective: Matrix(rows: 0, columns: network.outputCount),
                                               splits: query.splits)
                let inBox = samples.filter { x in x.indices.allSatisfy { query.box.lower[$0] <= x[$0] && x[$0] <= query.box.upper[$0] } }
                #expect(checker.check(samples: inBox, bounds: [b], results: []).tensorViolations == 0, "\(method)")
                guard let parent = query.parent else { continue }
                for (t, p) in zip(b.tensors.dropFirst(), parent.tensors.dropFirst()) {
                    #expect(zip(t.lower, p.lower).allSatisfy { $0 >= $1 } && zip(t.upper, p.upper).allSatisfy { $0 <= $1 })
                }
            }
        }
    }
}

/// The two results agree tensor by tensor to 1e-9 (relative).
private func expectEqualBounds(_ a: IntermediateBounds, _ b: IntermediateBounds) {
    #expect(a.tensors.count == b.tensors.count)
    for (s, t) in zip(a.tensors, b.tensors) {
        for d in 0..<s.dimension {
            #expect(abs(s.lower[d] - t.lower[d]) <= 1e-9 * (1 + abs(s.lower[d])))
            #expect(abs(s.upper[d] - t.upper[d]) <= 1e-9 * (1 + abs(s.upper[d])))
        }
    }
}

/// A batch's capacity counts 8 bytes × 4 (coefficients, slopes, two Adam moments) per row at every tensor the
/// optimisation passes through: for a 4 → 5 → 3 MLP the tensors entering its three layers have 4 + 5 + 5 entries.
@Test func batchCapacityCountsEveryTensorsCoefficients() throws {
    let propagator = try BoundPropagator(network: TestNetworks.mlp([4, 5, 3], seed: 1))
    let rowBytes = 8 * 4 * (4 + 5 + 5)
    #expect(propagator.batchCapacity(rowsPerProblem: 2, budget: 10 * 2 * rowBytes) == 10)
    #expect(propagator.batchCapacity(rowsPerProblem: 2, budget: 10 * 2 * rowBytes - 1) == 9)
    #expect(propagator.batchCapacity(rowsPerProblem: 3, budget: 1) == 1)
}
