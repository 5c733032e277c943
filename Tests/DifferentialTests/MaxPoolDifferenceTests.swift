@testable import Differential
import Network
import NetworkCompression
import Tensor
import Testing
import TestSupport

/// Difference propagation through max pooling (``MaxPoolDifference``): CNNs with max pools and their compressed
/// copies get certified difference bounds (they had none: no difference rule, and max pooling cannot enter a
/// product network).
@Suite struct MaxPoolDifferenceTests {
    /// A CNN on `[1, 2, 6, 6]`: conv 3×3 (2 → 3, padding 1), ReLU, max pool 2×2 stride 2 (or, for odd seeds,
    /// the overlapping 3×3 stride 2 padding 1), conv 3×3 (3 → 4, padding 1), ReLU, flatten, dense 36 → 8, ReLU,
    /// dense 8 → 3.
    static func cnn(seed: UInt64) throws -> Network {
        var random = RandomLayers(seed: seed &+ 900)
        return try random.pooledCNN(.maxPool(RandomLayers.pool(overlapping: seed % 2 == 1)))
    }

    /// The copy of pair `seed`: 8-bit quantised, or 30%-pruned, or both, by seed.
    static func compressed(_ f: Network, seed: UInt64) throws -> Network {
        let quantize = CompressionStep.quantize(Quantization(.uniform(bits: 8)))
        let prune = CompressionStep.prune(MagnitudePruning(.fraction(0.3, .global)))
        let steps: [CompressionStep] = [[quantize], [prune], [prune, quantize]][Int(seed % 3)]
        return try CompressionPipeline(steps).apply(to: f).network
    }

    /// Sound on 300 samples per pair, unsplit and refined, by difference propagation, and tighter than the naive
    /// bound.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func maxPoolPairsAreBoundedByDifferencePropagation(seed: UInt64) throws {
        let f = try Self.cnn(seed: seed), g = try Self.compressed(f, seed: seed)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed)
        for budget in [DifferenceBudget.splits(0), .splits(16)] {
            let result = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
            #expect(result.method == .differencePropagation)
            let d = result.bounds
            DifferencePairs.expectDifferenceWithin(
                lower: d.lower, upper: d.upper, f: f, g: g, box: box, samples: 300, seed: seed &+ 7, slack: 1e-12,
                "seed \(seed)")
            let naive = d.naiveMaxAbsolute.max()!
            #expect(d.worst < naive, "seed \(seed): \(d.worst) against naive \(naive)")
        }
    }

    /// Difference propagation lies within CROWN's bounds on the product network (whose pools combine the two
    /// networks' channels) output by output, and summed over the 8 pairs it is more than twice as tight.
    @Test func tighterThanTheProductNetwork() throws {
        let pairs = try (0..<8 as Range<UInt64>).map { seed in
            let f = try Self.cnn(seed: seed)
            return (f, try Self.compressed(f, seed: seed), DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed))
        }
        for (seed, (f, g, box)) in pairs.enumerated() {
            let bounds = try DifferenceBounds.productNetwork(original: f, compressed: g, over: box)
            DifferencePairs.expectDifferenceWithin(
                lower: bounds.lower, upper: bounds.upper, f: f, g: g, box: box, samples: 100, seed: UInt64(seed),
                "seed \(seed)")
        }
        let (propagated, product) = try DifferencePairs.sumsAgainstProductNetwork(pairs)
        print("max-pool pairs: Σ max|g−f| propagated \(propagated), product network \(product)")
        #expect(propagated < 0.5 * product, "propagated Σ \(propagated), product Σ \(product)")
    }

    /// The symbolic pass alone (not intersected with the interval steps) through the max pool, to the output and
    /// to the ReLU after the second convolution: sound on 300 samples per pair, and tighter than the interval
    /// steps summed over the pairs.
    @Test func symbolicPassThroughThePoolIsSound() throws {
        var symbolicSum = 0.0, intervalSum = 0.0
        for seed in 0..<8 as Range<UInt64> {
            let f = try Self.cnn(seed: seed), g = try Self.compressed(f, seed: seed)
            let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed)
            let analysis = try DifferenceBounds.analyse(
                original: f, compressed: g, over: box, margins: SoundnessMargins(), symbolic: false)
            let (bf, bg) = try #require(analysis.networks)
            var symbolic = SymbolicDifference(original: f, compressed: g, inputBox: box, margins: SoundnessMargins())
            for i in f.layers.indices {
                symbolic.add(layer: i, inputF: bf.tensors[i], inputG: bg.tensors[i], delta: analysis.deltas[i])
            }
            for end in [4, f.layers.count] {
                let pass = symbolic.deltaBounds(end: end)
                Self.expectTensorDifferenceWithin(pass.bounds, f: f, g: g, layers: end, box: box, seed: seed)
                if end == f.layers.count {
                    symbolicSum += pass.bounds.lower.indices.map { max(-pass.bounds.lower[$0], pass.bounds.upper[$0]) }.max()!
                    intervalSum += analysis.bounds.worst
                }
            }
        }
        print("max-pool pairs: Σ max|g−f| symbolic pass \(symbolicSum), interval steps \(intervalSum)")
        #expect(symbolicSum < intervalSum)
    }

    /// `g − f` after the first `layers` layers stays inside `bounds` on 300 samples of `box`.
    static func expectTensorDifferenceWithin(_ bounds: Box, f: Network, g: Network, layers: Int, box: Box, seed: UInt64) {
        let prefixF = try! Network(inputShape: f.inputShape, layers: Array(f.layers.prefix(layers)))
        let prefixG = try! Network(inputShape: g.inputShape, layers: Array(g.layers.prefix(layers)))
        DifferencePairs.expectDifferenceWithin(
            lower: bounds.lower, upper: bounds.upper, f: prefixF, g: prefixG, box: box, samples: 300, seed: seed &+ 11,
            slack: 1e-12, "seed \(seed), \(layers) layers")
    }

    /// `g = f` gives exactly 0; the output bias moved by `b` gives exactly `b`.
    @Test(arguments: 0..<4 as Range<UInt64>)
    func identicalAndShiftedCopiesAreExact(seed: UInt64) throws {
        try DifferencePairs.expectIdenticalAndShiftedCopiesExact(Self.cnn(seed: seed), seed: seed)
    }

    /// The rule on single windows: random intervals of `x_f` and `δ` (with `x_g`'s interval their sum), the
    /// interval step and every line holds on 2,000 sampled points; a window dominated at the same element in both
    /// networks gives exactly that element's `δ`.
    @Test func windowRuleHoldsOnSamples() {
        var rng = SplitMix64(seed: 77)
        let pool = Pool2D(channels: 1, inputHeight: 2, inputWidth: 2, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                          strideWidth: 2)
        for trial in 0..<200 {
            let centre = (0..<4).map { _ in rng.nextGaussian() }, width = (0..<4).map { _ in 0.5 * uniform(&rng) }
            let inputF = Box(lower: zip(centre, width).map { $0 - $1 }, upper: zip(centre, width).map { $0 + $1 })
            let dc = (0..<4).map { _ in 0.2 * rng.nextGaussian() }, dw = (0..<4).map { _ in 0.2 * uniform(&rng) }
            let delta = Box(lower: zip(dc, dw).map { $0 - $1 }, upper: zip(dc, dw).map { $0 + $1 })
            let inputG = Box(lower: zip(inputF.lower, delta.lower).map { $0 + $1 },
                             upper: zip(inputF.upper, delta.upper).map { $0 + $1 })
            let rule = MaxPoolDifference(pool: pool, inputF: inputF, inputG: inputG, delta: delta)
            for _ in 0..<10 {
                let x = (0..<4).map { inputF.lower[$0] + (inputF.upper[$0] - inputF.lower[$0]) * uniform(&rng) }
                let d = (0..<4).map { delta.lower[$0] + (delta.upper[$0] - delta.lower[$0]) * uniform(&rng) }
                let xf = x.max()!, xg = zip(x, d).map { $0 + $1 }.max()!, change = xg - xf
                #expect(change >= rule.delta.lower[0] - 1e-12 && change <= rule.delta.upper[0] + 1e-12, "trial \(trial)")
                #expect(xf >= x[rule.largestLowerF[0]])
                if let p = rule.dominantF[0] { #expect(xf == x[p] && change >= d[p] - 1e-12) }
                if let q = rule.dominantG[0] { #expect(change <= d[q] + 1e-12) }
                if rule.dominantF[0] == nil { #expect(xf <= rule.upperF[0]) }
            }
        }
        let dominated = Box(lower: [5, 0, 0, 0], upper: [6, 1, 1, 1])
        let delta = Box(lower: [-0.1, -2, -2, -2], upper: [0.2, 2, 2, 2])
        let shifted = Box(lower: [4.9, -2, -2, -2], upper: [6.2, 3, 3, 3])
        let rule = MaxPoolDifference(pool: pool, inputF: dominated, inputG: shifted, delta: delta)
        #expect(rule.dominantF[0] == 0 && rule.dominantG[0] == 0)
        #expect(rule.delta.lower == [-0.1] && rule.delta.upper == [0.2])
    }

    /// Pools of another geometry are a structure mismatch.
    @Test func otherPoolGeometryIsAMismatch() throws {
        let f = try Self.cnn(seed: 0), other = try Self.cnn(seed: 1)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: 0)
        #expect(throws: DifferentialError.structureMismatch(layer: 2, reason: "max pooling of different geometry")) {
            try DifferenceBounds.compute(original: f, compressed: other, over: box)
        }
    }

    private func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
}
