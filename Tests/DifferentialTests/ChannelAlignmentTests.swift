@testable import Differential
import Network
import NetworkCompression
import Tensor
import Testing
import TestSupport

/// Structured pruning of convolution channels, aligned back (``StructureAlignment``): the copy with fewer filters
/// is widened by zero filters to the original's structure, computes what the pruned copy computes, and is bounded
/// by difference propagation — also behind max pooling, where no product network exists to fall back on.
@Suite struct ChannelAlignmentTests {
    /// The two CNN families of the difference tests: plain (conv, conv, flatten, dense) and with a max pool
    /// between the convolutions.
    static func cnn(seed: UInt64) throws -> Network {
        seed < 4 ? try ConvolutionDifferenceTests.cnn(seed: seed) : try MaxPoolDifferenceTests.cnn(seed: seed)
    }

    /// 40% of the filters and hidden neurons removed (one of each convolution's 3 and 4 filters, 3 of the 8
    /// hidden neurons), then, for odd seeds, 8-bit quantised.
    static func pruned(_ f: Network, seed: UInt64) throws -> Network {
        var steps: [CompressionStep] = [.structuredPrune(StructuredPruning(fraction: 0.4))]
        if seed % 2 == 1 { steps.append(.quantize(Quantization(.uniform(bits: 8)))) }
        return try CompressionPipeline(steps).apply(to: f).network
    }

    /// The widened copy has the original's shapes and computes the pruned copy's outputs; the difference bound is
    /// by difference propagation and holds on 300 samples, unsplit and refined.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func prunedChannelsAreRealignedAndBoundedSoundly(seed: UInt64) throws {
        let f = try Self.cnn(seed: seed), g = try Self.pruned(f, seed: seed)
        #expect(g.layerShapes != f.layerShapes)
        let (_, widened) = try StructureAlignment.aligned(original: f, compressed: g)
        #expect(widened.layerShapes == f.layerShapes)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed)
        var rng = SplitMix64(seed: seed &+ 3)
        for _ in 0..<100 {
            let x = DifferencePairs.sample(box, &rng)
            #expect(zip(widened.evaluate(x), g.evaluate(x)).allSatisfy { abs($0 - $1) <= 1e-12 * (1 + abs($1)) })
        }
        for budget in [DifferenceBudget.splits(0), .splits(16)] {
            let result = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
            #expect(result.method == .differencePropagation, "seed \(seed)")
            DifferencePairs.expectDifferenceWithin(
                lower: result.bounds.lower, upper: result.bounds.upper, f: f, g: g, box: box, samples: 300,
                seed: seed &+ 7, slack: 1e-12, "seed \(seed)")
        }
    }

    /// A narrower first convolution of another kernel (1×1 against 3×3) is not aligned: the pair keeps its
    /// structure error and is bounded through the product network, soundly.
    @Test func anotherKernelIsNotAligned() throws {
        let f = try Self.cnn(seed: 0), g = try Self.pruned(f, seed: 0)
        var layers = g.layers
        guard case let .conv2d(c) = layers[0] else { Issue.record("first layer is a convolution"); return }
        layers[0] = .conv2d(Conv2D(
            inputChannels: 2, inputHeight: 6, inputWidth: 6, outputChannels: c.outputChannels, kernelHeight: 1,
            kernelWidth: 1, weights: Array(c.weights.prefix(2 * c.outputChannels)), bias: c.bias))
        let other = try Network(inputShape: g.inputShape, layers: layers)
        let (_, aligned) = try StructureAlignment.aligned(original: f, compressed: other)
        #expect(aligned == other)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: 0)
        let result = try DifferenceBounds.compute(original: f, compressed: other, over: box, budget: .splits(0))
        #expect(result.method == .productNetwork)
        DifferencePairs.expectDifferenceWithin(
            lower: result.bounds.lower, upper: result.bounds.upper, f: f, g: other, box: box, samples: 100, seed: 3)
    }

    /// Pruning alone keeps each surviving filter unchanged, so the nearest match puts it back at its own channel:
    /// every widened filter is either the original's (with its bias) or zero, and exactly the pruned number are
    /// zero.
    @Test(arguments: [0, 2, 4, 6] as [UInt64])
    func keptFiltersReturnToTheirChannels(seed: UInt64) throws {
        let f = try Self.cnn(seed: seed), g = try Self.pruned(f, seed: seed)
        let (_, widened) = try StructureAlignment.aligned(original: f, compressed: g)
        for (a, b) in zip(f.layers, widened.layers) {
            guard case let .conv2d(original) = a, case let .conv2d(aligned) = b else { continue }
            let size = original.weights.count / original.outputChannels
            var zeros = 0
            for o in 0..<original.outputChannels {
                let filter = Array(aligned.weights[(o * size)..<((o + 1) * size)])
                let own = Array(original.weights[(o * size)..<((o + 1) * size)])
                // The input channels a pruned predecessor removed read zero weights in the widened filter.
                let matches = zip(filter, own).allSatisfy { $0 == 0 || $0 == $1 } && aligned.bias[o] == original.bias[o]
                if filter.allSatisfy({ $0 == 0 }) && aligned.bias[o] == 0 { zeros += 1 } else { #expect(matches, "seed \(seed) filter \(o)") }
            }
            #expect(zeros == Int(0.4 * Double(original.outputChannels)), "seed \(seed)")
        }
    }

    /// The pair also has a product network: the refinement's root lies within its bounds output by output (it is
    /// intersected with them), and the aligned difference propagation is tighter, summed over the pairs.
    @Test func tighterThanTheProductNetwork() throws {
        let pairs = try (0..<4 as Range<UInt64>).map { seed in
            let f = try Self.cnn(seed: seed)
            return (f, try Self.pruned(f, seed: seed), DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed))
        }
        let (propagated, product) = try DifferencePairs.sumsAgainstProductNetwork(pairs)
        print("channel-pruned pairs: Σ max|g−f| propagated \(propagated), product network \(product)")
        #expect(propagated < product, "propagated Σ \(propagated), product Σ \(product)")
    }
}
