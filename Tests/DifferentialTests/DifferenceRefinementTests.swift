@testable import Differential
import Network
import NetworkCompression
import Tensor
import Testing

@Suite struct DifferenceRefinementTests {
    /// Best-first refinement with an attack on the deep pairs: sound on samples, never looser than unsplit, the
    /// attacked value is a real `|g − f|` at an input of the box and at most the certified bound, and the run
    /// stops for a stated reason within its leaf budget.
    @Test func refinementIsSoundAndAttackIsBelowIt() throws {
        for seed in 0..<6 as Range<UInt64> {
            let (f, g, box) = try SymbolicDifferenceTests.deepPair(seed: seed)
            let plain = try DifferenceBounds.compute(original: f, compressed: g, over: box)
            let budget = DifferenceBudget(maxLeaves: 40, timeLimit: 30, targetRatio: 1.2, attack: DifferenceAttack(samples: 128, steps: 30))
            let r = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
            let attack = try #require(r.attack)
            #expect(r.leaves <= 40 && r.leaves >= 1)
            #expect(r.stop == .target || r.stop == .leaves)
            for i in attack.values.indices {
                let x = attack.inputs[i]
                #expect(box.contains(x))
                #expect(attack.values[i] == abs(g.evaluate(x)[i] - f.evaluate(x)[i]))
                #expect(attack.values[i] <= r.bounds.maxAbsolute[i], "seed \(seed) output \(i)")
            }
            DifferencePairs.expectDifferenceWithin(
                lower: r.bounds.lower, upper: r.bounds.upper, f: f, g: g, box: box, samples: 300, seed: seed &+ 11,
                "seed \(seed)")
            for i in plain.lower.indices {
                #expect(r.bounds.lower[i] >= plain.lower[i] && r.bounds.upper[i] <= plain.upper[i])
            }
            if r.stop == .target { #expect(r.certifiedWorst <= 1.2 * attack.worst) }
            #expect(r.ratio.map { $0 >= 1 } ?? false)
        }
    }

    /// `f(x) = relu(x)`, `g(x) = relu(1.5·x) − 0.25·relu(x)` on `[−1, 2]`: `g − f` is 0 for `x ≤ 0` and `0.25·x`
    /// above, so `max |g − f| = 0.5` exactly, at `x = 2`. The attack finds exactly that point and value; the
    /// refinement then certifies within 2× of it.
    @Test func attackFindsTheKnownMaximum() throws {
        func network(_ a: Double, _ c: Double) throws -> Network {
            try Network(inputShape: [1, 1], layers: [
                .dense(Dense(weights: Matrix([[a], [1]]), bias: [0, 0])), .relu,
                .dense(Dense(weights: Matrix([[1, c]]), bias: [0])),
            ])
        }
        let f = try network(1, 0), g = try network(1.5, -0.25)
        let box = Box(lower: [-1], upper: [2])
        let attack = DifferenceAttack(samples: 16, steps: 20).run(original: f, compressed: g, over: box)
        #expect(attack.values == [0.5] && attack.inputs == [[2]])
        let r = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: DifferenceBudget(maxLeaves: 64))
        #expect(r.certifiedWorst >= 0.5 && r.certifiedWorst <= 1.0 && r.stop == .target)
    }

    /// `g = f` stops at once, exactly 0, on one leaf.
    @Test func identicalNetworksStopExact() throws {
        let f = try DifferencePairs.mlp(seed: 2)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 1, seed: 2)
        let r = try DifferenceBounds.compute(original: f, compressed: f, over: box, budget: DifferenceBudget(maxLeaves: 50))
        #expect(r.stop == .exact && r.leaves == 1 && r.certifiedWorst == 0 && r.ratio == 1)
    }

    /// A structured-pruned copy (30% of each hidden layer's neurons removed) is widened back and bounded: the
    /// bounds hold on samples; the widened copy computes what the pruned one computes (up to the order of a sum).
    @Test func structuredPruningIsAlignedAndSound() throws {
        for seed in 0..<6 as Range<UInt64> {
            let (f, _, box) = try SymbolicDifferenceTests.deepPair(seed: seed)
            let g = try CompressionPipeline([.structuredPrune(StructuredPruning(fraction: 0.3))]).apply(to: f).network
            #expect(g.layerShapes != f.layerShapes)
            let (_, widened) = try StructureAlignment.aligned(original: f, compressed: g)
            #expect(widened.layerShapes == f.layerShapes)
            let d = try DifferenceBounds.compute(original: f, compressed: g, over: box, splits: 8)
            var rng = SplitMix64(seed: seed &+ 21)
            for _ in 0..<300 {
                let x = DifferencePairs.sample(box, &rng)
                #expect(zip(widened.evaluate(x), g.evaluate(x)).allSatisfy { abs($0 - $1) <= 1e-12 * (1 + abs($1)) })
                let diff = zip(g.evaluate(x), f.evaluate(x)).map { $0 - $1 }
                for i in diff.indices { #expect(d.lower[i] <= diff[i] && diff[i] <= d.upper[i], "seed \(seed)") }
            }
            #expect(d.worst < (d.naiveMaxAbsolute.max() ?? 0))
        }
    }
}
