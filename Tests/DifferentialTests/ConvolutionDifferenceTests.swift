@testable import Differential
import Network
import NetworkCompression
import Tensor
import Testing
import TestSupport

/// Difference propagation through convolutions: a convolutional network and its compressed copy (same geometry)
/// are bounded by the difference rules, not through the product network, and the bounds agree with those of the
/// same pair written as dense layers.
@Suite struct ConvolutionDifferenceTests {
    /// A small CNN on `[1, 2, 6, 6]`: conv 3×3 (2 → 3 channels, padding 1), ReLU, conv 3×3 stride 2 (3 → 4,
    /// padding 1), ReLU, flatten, dense 36 → 8, ReLU, dense 8 → 3.
    static func cnn(seed: UInt64) throws -> Network {
        var random = RandomLayers(seed: seed &+ 400)
        let first = random.convolution(2, 3, size: 6), second = random.convolution(3, 4, size: 6, stride: 2)
        let hidden = random.dense(36, 8), output = random.dense(8, 3)
        return try Network(
            inputShape: [1, 2, 6, 6],
            layers: [.conv2d(first), .relu, .conv2d(second), .relu, .reshape([1, 36]), .dense(hidden), .relu,
                     .dense(output)])
    }

    /// The copy of pair `seed`: 8-bit quantised (even) or 30%-pruned (odd), convolutions included.
    static func compressed(_ f: Network, seed: UInt64) throws -> Network {
        let step: CompressionStep = seed % 2 == 0
            ? .quantize(Quantization(.uniform(bits: 8))) : .prune(MagnitudePruning(.fraction(0.3, .global)))
        return try CompressionPipeline([step]).apply(to: f).network
    }

    /// `f` with each convolution replaced by its dense equivalent (the same function).
    static func densified(_ f: Network) throws -> Network {
        let layers = f.layers.map { layer -> Layer in
            if case let .conv2d(c) = layer { return .dense(c.denseEquivalent()) }
            return layer
        }
        return try Network(inputShape: [1, f.inputCount], layers: layers)
    }

    /// Sound on 300 samples per pair, bounded by difference propagation, never looser than the product network's
    /// CROWN bound, and equal (to 1e-9 relative) to the bound of the same pair written with dense layers.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func convolutionPairsAreBoundedByDifferencePropagation(seed: UInt64) throws {
        let f = try Self.cnn(seed: seed), g = try Self.compressed(f, seed: seed)
        #expect(g.layers.contains { if case .conv2d = $0 { true } else { false } })
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed)
        let result = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: .splits(0))
        #expect(result.method == .differencePropagation)
        let d = result.bounds
        DifferencePairs.expectDifferenceWithin(
            lower: d.lower, upper: d.upper, f: f, g: g, box: box, samples: 300, seed: seed &+ 7, slack: 1e-12,
            "seed \(seed)")
        let product = try LeafBounder.product(difference: Network.difference(original: f, compressed: g))
            .bound(box, margins: SoundnessMargins()).bounds
        for i in d.lower.indices { #expect(d.lower[i] >= product.lower[i] && d.upper[i] <= product.upper[i]) }
        let dense = try DifferenceBounds.compute(
            original: Self.densified(f), compressed: Self.densified(g), over: box, budget: .splits(0)).bounds
        for i in d.lower.indices {
            let scale = max(1, abs(dense.lower[i]), abs(dense.upper[i]))
            #expect(abs(d.lower[i] - dense.lower[i]) <= 1e-9 * scale && abs(d.upper[i] - dense.upper[i]) <= 1e-9 * scale,
                    "seed \(seed) output \(i): conv [\(d.lower[i]), \(d.upper[i])], dense [\(dense.lower[i]), \(dense.upper[i])]")
        }
    }

    /// Summed over the 8 pairs, difference propagation is several times tighter than the product network, which is
    /// what convolutional pairs got before it.
    @Test func tighterThanTheProductNetwork() throws {
        var propagated = 0.0, product = 0.0
        for seed in 0..<8 as Range<UInt64> {
            let f = try Self.cnn(seed: seed), g = try Self.compressed(f, seed: seed)
            let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: seed)
            propagated += try DifferenceBounds.compute(original: f, compressed: g, over: box).worst
            product += try LeafBounder.product(difference: Network.difference(original: f, compressed: g))
                .bound(box, margins: SoundnessMargins()).bounds.worst
        }
        print("convolution pairs: Σ max|g−f| propagated \(propagated), product network \(product)")
        #expect(propagated < 0.5 * product, "propagated Σ \(propagated), product Σ \(product)")
    }

    /// `g = f` gives exactly 0; the output bias moved by `b` gives exactly `b`.
    @Test(arguments: 0..<4 as Range<UInt64>)
    func identicalAndShiftedCopiesAreExact(seed: UInt64) throws {
        try DifferencePairs.expectIdenticalAndShiftedCopiesExact(Self.cnn(seed: seed), seed: seed)
    }

    /// Convolutions that read other input positions (another stride) are a structure mismatch, which the
    /// refinement bounds through the product network instead.
    @Test func otherGeometryFallsBackToTheProductNetwork() throws {
        let f = try Self.cnn(seed: 1)
        var layers = f.layers
        guard case let .conv2d(c) = layers[0] else { Issue.record("first layer is a convolution"); return }
        // Other filters of the same geometry are difference-propagated; a 1×1 kernel (same shapes, other taps) is not.
        layers[0] = .conv2d(Conv2D(
            inputChannels: 2, inputHeight: 6, inputWidth: 6, outputChannels: 3, kernelHeight: 3, kernelWidth: 3,
            pads: [1, 1, 1, 1], dilationHeight: 1, dilationWidth: 1, groups: 1, weights: c.weights.reversed(),
            bias: c.bias))
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.2, seed: 1)
        let sameGeometry = try Network(inputShape: f.inputShape, layers: layers)
        #expect(try DifferenceBounds.compute(original: f, compressed: sameGeometry, over: box, budget: .splits(0)).method
                == .differencePropagation)
        layers[0] = .conv2d(Conv2D(
            inputChannels: 2, inputHeight: 6, inputWidth: 6, outputChannels: 3, kernelHeight: 1, kernelWidth: 1,
            weights: Array(c.weights.prefix(6)), bias: c.bias))
        let other = try Network(inputShape: f.inputShape, layers: layers)
        #expect(throws: DifferentialError.structureMismatch(
            layer: 0, reason: "convolutions of different kernel, stride, padding, dilation or groups")) {
            try DifferenceBounds.compute(original: f, compressed: other, over: box)
        }
        let fallback = try DifferenceBounds.compute(original: f, compressed: other, over: box, budget: .splits(0))
        #expect(fallback.method == .productNetwork)
        #expect(fallback.productNetwork == (try DifferenceBounds.productNetwork(original: f, compressed: other, over: box)))
        DifferencePairs.expectDifferenceWithin(
            lower: fallback.bounds.lower, upper: fallback.bounds.upper, f: f, g: other, box: box, samples: 200, seed: 5)
    }
}
