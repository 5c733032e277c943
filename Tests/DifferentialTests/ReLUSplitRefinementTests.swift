import Bounds
@testable import Differential
import Network
import NetworkCompression
import Tensor
import Testing
import TestSupport

/// ReLU phase splits in the difference refinement (``DifferenceSplits``, ``DifferenceBudget/SplitChoice/relu``).
@Suite struct ReLUSplitRefinementTests {
    /// True when `x` satisfies every decision of `splits` (pre-activations of `f` and `g` at `x`).
    static func satisfies(_ x: [Double], _ splits: DifferenceSplits, _ f: Network, _ g: Network) -> Bool {
        let traces: [DifferenceSplits.Side: [[Double]]] = [.original: f.trace(x), .compressed: g.trace(x)]
        for side in [DifferenceSplits.Side.original, .compressed] {
            for s in splits[side].splits {
                let z = traces[side]![s.layer][s.neuron]
                if s.isActive ? z < 0 : z > 0 { return false }
            }
        }
        return true
    }

    /// A tree of ReLU splits, three levels deep, each split on the leaf's own candidate: every sampled point
    /// lies in some feasible leaf whose decisions it satisfies, and each such leaf's bounds hold at it.
    @Test func everyLeafOfAReLUSplitTreeIsSound() throws {
        var checked = 0
        for seed in 0..<8 as Range<UInt64> {
            let (f, g, box) = try SymbolicDifferenceTests.deepPair(seed: seed)
            let bounder = try LeafBounder.make(original: f, compressed: g, box: box)
            var leaves = [Leaf(box: box, analysis: try bounder.bound(box, margins: SoundnessMargins()))]
            for _ in 0..<3 {
                leaves = try leaves.flatMap { leaf throws(DifferentialError) -> [Leaf] in
                    guard let c = leaf.analysis.candidate else { return [leaf] }
                    return try DifferenceBounds.split(leaf, .relu(c.neuron, [c.side]), bounder, SoundnessMargins())
                }
            }
            #expect(leaves.contains { !$0.splits.isEmpty }, "seed \(seed): no ReLU split was made")
            var rng = SplitMix64(seed: seed &+ 41)
            for _ in 0..<300 {
                let x = DifferencePairs.sample(box, &rng)
                let diff = zip(g.evaluate(x), f.evaluate(x)).map { $0 - $1 }
                let holding = leaves.filter { Self.satisfies(x, $0.splits, f, g) }
                #expect(!holding.isEmpty, "seed \(seed): a point in no leaf")
                for leaf in holding {
                    for i in diff.indices {
                        #expect(leaf.bounds.lower[i] <= diff[i] && diff[i] <= leaf.bounds.upper[i], "seed \(seed)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked >= 2400)
    }

    /// The refinement with ReLU splits forced, on the small random pairs and the deep ones: sound on samples,
    /// never looser than unsplit, and it does split ReLUs.
    @Test func forcedReLUSplitsAreSound() throws {
        var pairs: [(Network, Network, Box)] = []
        for seed in 0..<12 as Range<UInt64> {
            let f = try DifferencePairs.mlp(seed: seed)
            pairs.append((f, try DifferencePairs.compressed(f, seed: seed),
                          DifferencePairs.box(dimension: f.inputCount, radius: 0.5, seed: seed)))
        }
        for seed in 0..<4 as Range<UInt64> { pairs.append(try SymbolicDifferenceTests.deepPair(seed: seed)) }
        var reluSplits = 0
        for (k, (f, g, box)) in pairs.enumerated() {
            var budget = DifferenceBudget.splits(30)
            budget.splitChoice = .relu
            let r = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
            let plain = try DifferenceBounds.compute(original: f, compressed: g, over: box)
            reluSplits += r.reluSplits
            DifferencePairs.expectDifferenceWithin(
                lower: r.bounds.lower, upper: r.bounds.upper, f: f, g: g, box: box, samples: 300,
                seed: UInt64(k) &+ 5, "pair \(k)")
            for i in plain.lower.indices {
                #expect(r.bounds.lower[i] >= plain.lower[i] && r.bounds.upper[i] <= plain.upper[i])
            }
        }
        #expect(reluSplits > 50)
    }

    /// `g = f`: exactly 0 unsplit, and exactly 0 on every feasible leaf of ReLU decisions on `f` alone (the
    /// clamp of `f`'s neuron carries over to `g`'s through `z_g = z_f + δ`, `δ = 0`).
    @Test func identicalNetworksStayExactUnderSplits() throws {
        for seed in 0..<6 as Range<UInt64> {
            let (f, _, box) = try SymbolicDifferenceTests.deepPair(seed: seed)
            let root = try DifferenceBounds.analyse(original: f, compressed: f, over: box, margins: SoundnessMargins())
            #expect(root.bounds.worst == 0)
            let bounds = try BoundPropagator(network: f).intermediateBounds(over: box)
            var unstable: [NeuronID] = []
            for k in bounds.nonlinearLayers {
                for j in 0..<bounds.tensors[k].dimension where bounds.isUnstable(layer: k, neuron: j) {
                    unstable.append(NeuronID(layer: k, neuron: j))
                }
            }
            for (t, id) in unstable.prefix(6).enumerated() {
                let splits = DifferenceSplits().adding(ReLUSplit(id, isActive: t % 2 == 0), on: .original)
                let leaf = try DifferenceBounds.analyse(
                    original: f, compressed: f, over: box, splits: splits, margins: SoundnessMargins(), parent: root,
                    split: (id.layer, [.original]))
                #expect(leaf.isInfeasible || (leaf.bounds.lower.allSatisfy { $0 == 0 } && leaf.bounds.upper.allSatisfy { $0 == 0 }))
            }
            var budget = DifferenceBudget.splits(20)
            budget.splitChoice = .relu
            let r = try DifferenceBounds.compute(original: f, compressed: f, over: box, budget: budget)
            #expect(r.certifiedWorst == 0 && r.stop == .exact && r.leaves == 1)
        }
    }

    /// A decision no input satisfies closes its leaf: `f`'s first hidden neuron has pre-activation in `[1, 3]`
    /// over the box, so "inactive" is infeasible (in either network), and the split keeps only the active child.
    @Test func infeasibleSplitClosesTheLeaf() throws {
        let f = try Network(inputShape: [1, 2], layers: [
            .dense(Dense(weights: Matrix([[1, 0], [1, -1]]), bias: [2, 0])), .relu,
            .dense(Dense(weights: Matrix([[1, 1]]), bias: [0])),
        ])
        let g = try DifferencePairs.perturbed(f, seed: 3, scale: 0.01)
        let box = Box(lower: [-1, -1], upper: [1, 1])
        let id = NeuronID(layer: 1, neuron: 0)
        for side in [DifferenceSplits.Side.original, .compressed] {
            let dead = DifferenceSplits().adding(ReLUSplit(id, isActive: false), on: side)
            let leaf = try DifferenceBounds.analyse(original: f, compressed: g, over: box, splits: dead, margins: SoundnessMargins())
            #expect(leaf.isInfeasible, "\(side)")
            let bounder = try LeafBounder.make(original: f, compressed: g, box: box)
            let root = Leaf(box: box, analysis: try bounder.bound(box, margins: SoundnessMargins()))
            let children = try DifferenceBounds.split(root, .relu(id, [side]), bounder, SoundnessMargins())
            #expect(children.count == 1 && children[0].splits[side].state(layer: 1, neuron: 0) == true)
        }
    }
}

/// Where ReLU splitting pays: a 40-input pair, where bisecting inputs narrows one of 40 coordinates at a time.
@Suite struct ReLUSplitTighteningTests {
    /// `f` (inputs 40, hidden 32 × 3, outputs 3), its 30%-pruned copy, a box of radius `radius`.
    static func widePair(seed: UInt64, radius: Double = 0.15) throws -> (Network, Network, Box) {
        var rng = SplitMix64(seed: seed &+ 700)
        let f = try RandomNetworks.mlp(
            [40, 32, 32, 32, 3], weight: { (2 / Double($0)).squareRoot() * rng.nextGaussian() },
            bias: { 0.1 * rng.nextGaussian() })
        let g = try CompressionPipeline([.prune(MagnitudePruning(.fraction(0.3, .global)))]).apply(to: f).network
        return (f, g, DifferencePairs.box(dimension: 40, radius: radius, seed: seed))
    }

    /// At equal leaves (150), ReLU splitting is tighter than input bisection summed over two wide pairs (13.0
    /// against 13.3 when written; a ReLU child reuses its parent's bounds up to the split layer, so it also
    /// costs several times less). `auto` keeps to the smear rule on these dense pairs (it splits ReLUs only on
    /// networks with convolutions: on MNIST-FC the smear rule measured tighter).
    @Test func reluSplitsBeatInputSplitsOnWideInputs() throws {
        var sums: [DifferenceBudget.SplitChoice: Double] = [:]
        for seed in 0..<2 as Range<UInt64> {
            let (f, g, box) = try Self.widePair(seed: seed)
            for choice in [DifferenceBudget.SplitChoice.smear, .relu, .auto] {
                var budget = DifferenceBudget.splits(150)
                budget.splitChoice = choice
                let r = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
                sums[choice, default: 0] += r.certifiedWorst
                #expect((r.reluSplits > 0) == (choice == .relu))
            }
        }
        print("wide pairs: Σ smear \(sums[.smear]!), relu \(sums[.relu]!), auto \(sums[.auto]!)")
        #expect(sums[.relu]! < sums[.smear]!)
        #expect(sums[.auto]! == sums[.smear]!)
    }

    /// On a convolutional pair `auto` is `relu`: the same bound and leaves, with ReLU splits among them.
    @Test func autoSplitsReLUsOnConvolutionalNetworks() throws {
        let f = try ConvolutionDifferenceTests.cnn(seed: 1), g = try ConvolutionDifferenceTests.compressed(f, seed: 1)
        #expect(DifferenceBudget.SplitChoice.auto.resolved(for: f) == .relu)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: 1)
        var results: [DifferenceBudget.SplitChoice: DifferenceRefinement] = [:]
        for choice in [DifferenceBudget.SplitChoice.relu, .auto] {
            var budget = DifferenceBudget.splits(12)
            budget.splitChoice = choice
            results[choice] = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
        }
        let relu = results[.relu]!, auto = results[.auto]!
        #expect(auto.reluSplits > 0 && auto.reluSplits == relu.reluSplits && auto.leaves == relu.leaves)
        #expect(auto.bounds.lower == relu.bounds.lower && auto.bounds.upper == relu.bounds.upper)
    }
}
