@testable import Bounds
import Network
import Tensor
import Testing

/// The networks of the soundness properties: (name, network, box radius).
let soundnessCases: [(String, Network, Double)] = [
    ("mlp1", TestNetworks.randomMLP(seed: 1), 0.3), ("mlp2", TestNetworks.randomMLP(seed: 2), 0.5),
    ("mlp3", TestNetworks.randomMLP(seed: 3), 0.2), ("mlp4", TestNetworks.randomMLP(seed: 4), 1.0),
    ("mlp5", TestNetworks.randomMLP(seed: 5), 0.1), ("conv", TestNetworks.convNet(seed: 6), 0.2),
    ("pool", TestNetworks.poolNet(seed: 7), 0.3), ("pool-include-pad", TestNetworks.poolNet(seed: 8), 0.3),
    ("smooth", TestNetworks.smoothNet(seed: 9), 0.8), ("transposed", TestNetworks.transposedConvNet(seed: 10), 0.3),
    ("softmax", TestNetworks.softmaxNet(seed: 11, hidden: false), 0.6),
    ("hidden-softmax", TestNetworks.softmaxNet(seed: 12, hidden: true), 0.6),
]

/// The case's network, propagator, seeded box and 3-row objective.
func soundnessSetup(_ caseIndex: Int) throws -> (String, Network, BoundPropagator, Box, Matrix) {
    let (name, network, radius) = soundnessCases[caseIndex]
    return (name, network, try BoundPropagator(network: network),
            TestNetworks.box(network.inputCount, radius: radius, seed: UInt64(caseIndex)),
            TestNetworks.objective(rows: 3, network.outputCount, seed: UInt64(caseIndex)))
}

@Test(arguments: soundnessCases.indices)
func sampledTensorsAndObjectivesLieInsideBounds(caseIndex: Int) throws {
    let (name, network, propagator, box, objective) = try soundnessSetup(caseIndex)
    let samples = TestNetworks.samples(box, count: 10_000, seed: UInt64(caseIndex))
    let checker = SoundnessChecker(network: network, objective: objective, splits: SplitSet())
    var allBounds: [IntermediateBounds] = []
    var results: [LinearBoundResult] = []
    for method in BoundMethod.allCases {
        let bounds = propagator.intermediateBounds(over: box, method: method)
        #expect(!bounds.isInfeasible)
        let result = propagator.lowerBounds(of: objective, over: box, intermediate: bounds,
                                            options: BoundOptions(method: method))
        #expect(result.lower.allSatisfy { $0.isFinite }, "\(name) \(method)")
        allBounds.append(bounds)
        results.append(result)
    }
    let report = checker.check(samples: samples, bounds: allBounds, results: results)
    #expect(report.checked == samples.count)
    #expect(report.tensorViolations == 0, "\(name): \(report)")
    #expect(report.objectiveViolations == 0, "\(name): \(report)")
    #expect(report.linearBoundViolations == 0, "\(name): \(report)")
}

@Test(arguments: soundnessCases.indices)
func crownIsNoLooserThanIntervalAndAlphaNoLooserThanCrown(caseIndex: Int) throws {
    let (name, _, propagator, box, objective) = try soundnessSetup(caseIndex)
    let intervalBounds = propagator.intermediateBounds(over: box, method: .interval)
    let crownBounds = propagator.intermediateBounds(over: box, method: .crown)
    // Per neuron: CROWN intermediate bounds are intersected with interval bounds, so never looser.
    for (t, s) in zip(crownBounds.tensors, intervalBounds.tensors) {
        for j in 0..<t.dimension {
            #expect(t.lower[j] >= s.lower[j] && t.upper[j] <= s.upper[j], "\(name)")
        }
    }
    // Optimised intermediate slopes only intersect CROWN's bounds (their samples: the test above).
    let optimisedBounds = propagator.intermediateBounds(over: box, method: .alphaCrown)
    for (t, s) in zip(optimisedBounds.tensors, crownBounds.tensors) {
        for j in 0..<t.dimension { #expect(t.lower[j] >= s.lower[j] && t.upper[j] <= s.upper[j], "\(name)") }
    }
    let interval = propagator.lowerBounds(of: objective, over: box, intermediate: intervalBounds,
                                          options: BoundOptions(method: .interval))
    let crown = propagator.lowerBounds(of: objective, over: box, intermediate: crownBounds,
                                       options: BoundOptions(method: .crown))
    let alpha = propagator.lowerBounds(of: objective, over: box, intermediate: crownBounds,
                                       options: BoundOptions(method: .alphaCrown))
    for r in 0..<objective.rows {
        #expect(crown.lower[r] >= interval.lower[r], "\(name) row \(r)")
        #expect(alpha.lower[r] >= crown.lower[r], "\(name) row \(r)")
    }
}

/// A random MLP's propagator, an input box of radius 0.5 and a two-row objective, all from `seed`.
private func randomMLPCase(seed: UInt64) throws -> (BoundPropagator, Box, Matrix) {
    let network = TestNetworks.randomMLP(seed: seed)
    return (try BoundPropagator(network: network), TestNetworks.box(network.inputCount, radius: 0.5, seed: seed),
            TestNetworks.objective(rows: 2, network.outputCount, seed: seed))
}

/// Over many MLPs, CROWN's objective bounds beat interval ones in aggregate and alpha-CROWN improves on CROWN.
@Test func crownTighterThanIntervalInAggregateOnMLPs() throws {
    var gapCrown = 0.0, gapAlpha = 0.0
    for seed in UInt64(20)..<UInt64(40) {
        let (propagator, box, objective) = try randomMLPCase(seed: seed)
        let ib = propagator.intermediateBounds(over: box, method: .interval)
        let cb = propagator.intermediateBounds(over: box, method: .crown)
        let i = propagator.lowerBounds(of: objective, over: box, intermediate: ib, options: BoundOptions(method: .interval))
        let c = propagator.lowerBounds(of: objective, over: box, intermediate: cb, options: BoundOptions(method: .crown))
        let a = propagator.lowerBounds(of: objective, over: box, intermediate: cb, options: BoundOptions(method: .alphaCrown))
        gapCrown += zip(c.lower, i.lower).reduce(0) { $0 + $1.0 - $1.1 }
        gapAlpha += zip(a.lower, c.lower).reduce(0) { $0 + $1.0 - $1.1 }
    }
    #expect(gapCrown > 0)
    #expect(gapAlpha > 0)
}

/// A memory budget that fits a few neurons at a time optimises them in chunks and gives the same bounds, to the
/// last bit: the rows never interact.
@Test func optimisedIntermediateBoundsInChunksEqualTheWholeBatch() throws {
    for seed in UInt64(40)..<UInt64(44) {
        let (propagator, box, _) = try randomMLPCase(seed: seed)
        let whole = propagator.intermediateBounds(over: box, method: .alphaCrown)
        var small = BoundOptions()
        small.slopeMemoryBudget = 1
        #expect(propagator.slopeChunk(rowsPerNeuron: 2, end: propagator.reluLayers.last!, budget: 1) == 1)
        let chunked = propagator.intermediateBounds(over: box, method: .alphaCrown, intermediateOptions: small)
        #expect(whole.tensors.count == chunked.tensors.count && !whole.isInfeasible)
        for (a, b) in zip(whole.tensors, chunked.tensors) {
            #expect(a.lower == b.lower && a.upper == b.upper)
        }
        // The optimisation ran on several neurons of some layer (so the chunks were real) and tightened CROWN.
        let crown = propagator.intermediateBounds(over: box, method: .crown)
        let tightened = zip(crown.tensors, whole.tensors).map { c, w in
            (0..<c.dimension).filter { w.lower[$0] > c.lower[$0] || w.upper[$0] < c.upper[$0] }.count
        }
        #expect(tightened.max() ?? 0 >= 2, "seed \(seed): \(tightened)")
    }
}

/// Optimised intermediate slopes tighten the deeper layers' bounds of random MLPs in aggregate (their total width
/// of unstable intervals), and the objective bound built on them.
@Test func optimisedIntermediateBoundsAreTighterInAggregate() throws {
    var crownWidth = 0.0, optimisedWidth = 0.0, crownObjective = 0.0, optimisedObjective = 0.0
    for seed in UInt64(40)..<UInt64(50) {
        let (propagator, box, objective) = try randomMLPCase(seed: seed)
        let crown = propagator.intermediateBounds(over: box, method: .crown)
        let optimised = propagator.intermediateBounds(over: box, method: .alphaCrown)
        for k in propagator.reluLayers.dropFirst() {
            crownWidth += zip(crown.tensors[k].lower, crown.tensors[k].upper).map { $1 - $0 }.reduce(0, +)
            optimisedWidth += zip(optimised.tensors[k].lower, optimised.tensors[k].upper).map { $1 - $0 }.reduce(0, +)
        }
        let options = BoundOptions(method: .crown)
        crownObjective += propagator.lowerBounds(of: objective, over: box, intermediate: crown, options: options)
            .lower.reduce(0, +)
        optimisedObjective += propagator.lowerBounds(of: objective, over: box, intermediate: optimised,
                                                     options: options).lower.reduce(0, +)
    }
    #expect(optimisedWidth < crownWidth, "widths \(optimisedWidth) vs \(crownWidth)")
    #expect(optimisedObjective >= crownObjective, "objective \(optimisedObjective) vs \(crownObjective)")
}
