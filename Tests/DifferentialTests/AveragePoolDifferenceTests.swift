@testable import Differential
import Network
import NetworkCompression
import Tensor
import Testing
import TestSupport

/// Average pools are depthwise convolutions (``Network/averagePoolsAsConvolutions()``), so CNNs with average
/// pooling and their compressed copies are difference-propagated (they went through the product network).
@Suite struct AveragePoolDifferenceTests {
    /// A CNN on `[1, 2, 6, 6]`: conv 3×3 (2 → 3, padding 1), ReLU, average pool 2×2 stride 2 (or, for odd seeds,
    /// 3×3 stride 2 padding 1 counting the padding), conv 3×3 (3 → 4, padding 1), ReLU, flatten, dense 36 → 8,
    /// ReLU, dense 8 → 3.
    static func cnn(seed: UInt64) throws -> Network {
        var random = RandomLayers(seed: seed &+ 1300)
        return try random.pooledCNN(.averagePool(RandomLayers.pool(overlapping: seed % 2 == 1, countIncludePad: true)))
    }

    /// The copy of pair `seed`: 8-bit quantised, 30%-pruned, or 40%-structured-pruned (filters too), by seed.
    static func compressed(_ f: Network, seed: UInt64) throws -> Network {
        let steps: [CompressionStep] = [
            .quantize(Quantization(.uniform(bits: 8))), .prune(MagnitudePruning(.fraction(0.3, .global))),
            .structuredPrune(StructuredPruning(fraction: 0.4)),
        ]
        return try CompressionPipeline([steps[Int(seed % 3)]]).apply(to: f).network
    }

    /// Difference propagation, sound on 300 samples, within the product network's bounds output by output, and
    /// summed over the pairs several times tighter.
    @Test func averagePoolPairsAreBoundedByDifferencePropagation() throws {
        var pairs: [(f: Network, g: Network, box: Box)] = []
        for seed in 0..<6 as Range<UInt64> {
            let f = try Self.cnn(seed: seed), g = try Self.compressed(f, seed: seed)
            let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed)
            let result = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: .splits(0))
            #expect(result.method == .differencePropagation, "seed \(seed)")
            DifferencePairs.expectDifferenceWithin(
                lower: result.bounds.lower, upper: result.bounds.upper, f: f, g: g, box: box, samples: 300,
                seed: seed &+ 7, slack: 1e-12, "seed \(seed)")
            pairs.append((f, g, box))
        }
        let (propagated, product) = try DifferencePairs.sumsAgainstProductNetwork(pairs)
        print("average-pool pairs: Σ max|g−f| propagated \(propagated), product network \(product)")
        #expect(propagated < 0.75 * product, "propagated Σ \(propagated), product Σ \(product)")
    }

    /// `g = f` gives exactly 0; the output bias moved by `b` gives exactly `b`.
    @Test(arguments: 0..<2 as Range<UInt64>)
    func identicalAndShiftedCopiesAreExact(seed: UInt64) throws {
        try DifferencePairs.expectIdenticalAndShiftedCopiesExact(Self.cnn(seed: seed), seed: seed)
    }
}
