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

@Test(arguments: [1, 2, 3, 4, 5, 6])
func splitBoundsAreSoundAndNoLooser(seed: UInt64) throws {
    let network = TestNetworks.randomMLP(seed: seed)
    let propagator = try BoundPropagator(network: network)
    let box = TestNetworks.box(network.inputCount, radius: 0.5, seed: seed)
    let objective = TestNetworks.objective(rows: 3, network.outputCount, seed: seed)
    let parent = propagator.intermediateBounds(over: box)
    let samples = TestNetworks.samples(box, count: 4000, seed: seed)
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
