import Differential
import Network
import NetworkCompression
import Tensor
import TestSupport
import Testing

/// Seeded random MLPs and compressed copies for the difference-bound tests.
enum DifferencePairs {
    /// A ReLU MLP with He-like Gaussian weights and small biases, widths drawn from `seed`.
    static func mlp(seed: UInt64) throws -> Network {
        var rng = SplitMix64(seed: seed)
        let inputs = 2 + Int(rng.next() % 4), hidden = 4 + Int(rng.next() % 12), outputs = 1 + Int(rng.next() % 3)
        let depth = 1 + Int(rng.next() % 3)
        let widths = [inputs] + Array(repeating: hidden, count: depth) + [outputs]
        return try RandomNetworks.mlp(
            widths, weight: { (2 / Double($0)).squareRoot() * rng.nextGaussian() },
            bias: { 0.1 * rng.nextGaussian() })
    }

    /// The copy of pair `seed`: alternately pruned, quantised, both, or with every weight perturbed.
    static func compressed(_ f: Network, seed: UInt64) throws -> Network {
        switch seed % 4 {
        case 0: try CompressionPipeline([.prune(MagnitudePruning(.fraction(0.3, .global)))]).apply(to: f).network
        case 1: try CompressionPipeline([.quantize(Quantization(.uniform(bits: 4)))]).apply(to: f).network
        case 2:
            try CompressionPipeline([
                .prune(MagnitudePruning(.fraction(0.2, .global))), .quantize(Quantization(.uniform(bits: 6))),
            ]).apply(to: f).network
        default: try perturbed(f, seed: seed, scale: 0.02)
        }
    }

    /// `f` with every dense weight and bias moved by `scale`·N(0, 1).
    static func perturbed(_ f: Network, seed: UInt64, scale: Double) throws -> Network {
        var rng = SplitMix64(seed: seed &+ 977)
        let layers = f.layers.map { layer -> Layer in
            guard case var .dense(d) = layer else { return layer }
            for k in d.weights.storage.indices { d.weights.storage[k] += scale * rng.nextGaussian() }
            for k in d.bias.indices { d.bias[k] += scale * rng.nextGaussian() }
            return .dense(d)
        }
        return try Network(inputShape: f.inputShape, layers: layers)
    }

    /// `f` with its output bias rounded to multiples of 1/1024 (so a shift of 0.125 is exact): `g = f` gives
    /// exactly 0 over a box of radius 0.3, and the output bias moved by 0.125 gives exactly 0.125.
    static func expectIdenticalAndShiftedCopiesExact(_ network: Network, seed: UInt64) throws {
        let f = try mappingLastBias(network) { ($0 * 1024).rounded() / 1024 }
        let box = box(dimension: f.inputCount, radius: 0.3, seed: seed)
        let same = try DifferenceBounds.compute(original: f, compressed: f, over: box)
        #expect(same.lower.allSatisfy { $0 == 0 } && same.upper.allSatisfy { $0 == 0 })
        let g = try mappingLastBias(f) { $0 + 0.125 }
        let shifted = try DifferenceBounds.compute(original: f, compressed: g, over: box)
        #expect(shifted.lower.allSatisfy { $0 == 0.125 } && shifted.upper.allSatisfy { $0 == 0.125 })
    }

    /// `f` with the last layer's bias replaced by `transform` of it.
    static func mappingLastBias(_ f: Network, _ transform: (Double) -> Double) throws -> Network {
        var layers = f.layers
        guard case var .dense(d) = layers[layers.count - 1] else { preconditionFailure("last layer is dense") }
        for k in d.bias.indices { d.bias[k] = transform(d.bias[k]) }
        layers[layers.count - 1] = .dense(d)
        return try Network(inputShape: f.inputShape, layers: layers)
    }

    /// The box `[c − r, c + r]` around a seeded centre in `[−1, 1]ⁿ`.
    static func box(dimension n: Int, radius r: Double, seed: UInt64) -> Box {
        var rng = SplitMix64(seed: seed &+ 31)
        let c = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        return Box(lower: c.map { $0 - r }, upper: c.map { $0 + r })
    }

    /// A uniform point of `box`.
    static func sample(_ box: Box, _ rng: inout SplitMix64) -> [Double] {
        (0..<box.dimension).map { box.lower[$0] + (box.upper[$0] - box.lower[$0]) * Double.random(in: 0...1, using: &rng) }
    }

    /// Checks `lower ≤ g(x) − f(x) ≤ upper` (within `slack`), output by output, at `samples` seeded uniform points
    /// of `box`: the soundness check every difference bound gets.
    static func expectDifferenceWithin(
        lower: [Double], upper: [Double], f: Network, g: Network, box: Box, samples: Int, seed: UInt64,
        slack: Double = 0, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<samples {
            let x = sample(box, &rng)
            let diff = zip(g.evaluate(x), f.evaluate(x)).map { $0 - $1 }
            for i in diff.indices {
                #expect(lower[i] <= diff[i] + slack && diff[i] <= upper[i] + slack, "\(context) output \(i)",
                        sourceLocation: sourceLocation)
            }
        }
    }
}

/// He-initialised random layers drawn from one seeded generator, weights before biases, in call order.
struct RandomLayers {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// `count` Gaussian weights of variance `2 / fanIn`.
    mutating func gaussian(_ count: Int, fanIn: Int) -> [Double] {
        (0..<count).map { _ in (2 / Double(fanIn)).squareRoot() * rng.nextGaussian() }
    }

    /// `count` biases of standard deviation 0.1.
    mutating func biases(_ count: Int) -> [Double] { (0..<count).map { _ in 0.1 * rng.nextGaussian() } }

    /// A 3×3 convolution with padding 1 on a square `size × size` input.
    mutating func convolution(_ inputs: Int, _ outputs: Int, size: Int, stride: Int = 1) -> Conv2D {
        let fanIn = inputs * 9
        return Conv2D(
            inputChannels: inputs, inputHeight: size, inputWidth: size, outputChannels: outputs, kernelHeight: 3,
            kernelWidth: 3, strideHeight: stride, strideWidth: stride, pads: [1, 1, 1, 1],
            weights: gaussian(outputs * fanIn, fanIn: fanIn), bias: biases(outputs))
    }

    /// A dense `outputs × inputs` layer.
    mutating func dense(_ inputs: Int, _ outputs: Int) -> Dense {
        Dense(weights: Matrix(rows: outputs, columns: inputs, storage: gaussian(outputs * inputs, fanIn: inputs)),
              bias: biases(outputs))
    }

    /// The pooling window of ``pooledCNN(_:)``: 2×2 stride 2, or (`overlapping`) 3×3 stride 2 padding 1.
    static func pool(overlapping: Bool, countIncludePad: Bool = false) -> Pool2D {
        let size = overlapping ? 3 : 2, pads = overlapping ? 1 : 0
        return Pool2D(channels: 3, inputHeight: 6, inputWidth: 6, kernelHeight: size, kernelWidth: size, strideHeight: 2,
                      strideWidth: 2, pads: [pads, pads, pads, pads], countIncludePad: countIncludePad)
    }

    /// A pooled CNN on `[1, 2, 6, 6]`: conv 3×3 (2 → 3, padding 1), ReLU, `pool` (a 3-channel `[6, 6]` → `[3, 3]`
    /// pooling layer), conv 3×3 (3 → 4, padding 1), ReLU, flatten, dense 36 → 8, ReLU, dense 8 → 3.
    mutating func pooledCNN(_ pool: Layer) throws -> Network {
        let first = convolution(2, 3, size: 6)
        let second = convolution(3, 4, size: 3), hidden = dense(36, 8), output = dense(8, 3)
        return try Network(
            inputShape: [1, 2, 6, 6],
            layers: [.conv2d(first), .relu, pool, .conv2d(second), .relu, .reshape([1, 36]), .dense(hidden), .relu,
                     .dense(output)])
    }
}

extension DifferencePairs {
    /// Each pair bounded unsplit by difference propagation and by CROWN on its product network: the first lies
    /// within the second output by output (the refinement's root is intersected with it, and reports it); returns
    /// the sums of the two worst bounds over the pairs.
    static func sumsAgainstProductNetwork(_ pairs: [(f: Network, g: Network, box: Box)]) throws
        -> (propagated: Double, product: Double)
    {
        var propagated = 0.0, product = 0.0
        for (k, pair) in pairs.enumerated() {
            let refined = try DifferenceBounds.compute(original: pair.f, compressed: pair.g, over: pair.box, budget: .splits(0))
            let d = refined.bounds
            let p = try DifferenceBounds.productNetwork(original: pair.f, compressed: pair.g, over: pair.box)
            #expect(refined.productNetwork == p, "pair \(k): the refinement reports the product bound it used")
            for i in d.lower.indices { #expect(d.lower[i] >= p.lower[i] && d.upper[i] <= p.upper[i], "pair \(k)") }
            propagated += d.maxAbsolute.max() ?? 0
            product += p.maxAbsolute.max() ?? 0
        }
        return (propagated, product)
    }
}
