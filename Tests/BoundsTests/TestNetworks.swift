import Network
import Tensor
import TestSupport

/// Seeded random networks and boxes for the soundness properties.
enum TestNetworks {
    static func vector(_ n: Int, scale: Double = 1, _ rng: inout SplitMix64) -> [Double] {
        (0..<n).map { _ in Double.random(in: -scale...scale, using: &rng) }
    }

    static func dense(_ inputs: Int, _ outputs: Int, _ rng: inout SplitMix64) -> Layer {
        let scale = (2.0 / Double(inputs)).squareRoot() * 1.5
        return .dense(Dense(weights: Matrix(rows: outputs, columns: inputs, storage: vector(outputs * inputs, scale: scale, &rng)),
                            bias: vector(outputs, scale: 0.3, &rng)))
    }

    /// A dense ReLU MLP `widths[0] → … → widths.last` (no activation after the last layer).
    static func mlp(_ widths: [Int], activation: Layer = .relu, seed: UInt64) -> Network {
        var rng = SplitMix64(seed: seed)
        return try! RandomNetworks.mlp(
            widths, activation: activation,
            weight: { let scale = (2.0 / Double($0)).squareRoot() * 1.5; return Double.random(in: -scale...scale, using: &rng) },
            bias: { Double.random(in: -0.3...0.3, using: &rng) })
    }

    /// A random MLP with 2–4 layers of 5–30 neurons.
    static func randomMLP(seed: UInt64) -> Network {
        var rng = SplitMix64(seed: seed &* 31 &+ 7)
        let depth = Int.random(in: 2...4, using: &rng)
        let widths = [Int.random(in: 2...6, using: &rng)] + (0..<depth).map { _ in Int.random(in: 5...30, using: &rng) }
            + [Int.random(in: 2...4, using: &rng)]
        return mlp(widths, seed: seed)
    }

    static func conv(_ c: Int, _ h: Int, _ w: Int, out: Int, kernel: Int, stride: Int, pads: [Int],
                     _ rng: inout SplitMix64) -> Conv2D {
        let scale = (2.0 / Double(c * kernel * kernel)).squareRoot() * 1.5
        return Conv2D(inputChannels: c, inputHeight: h, inputWidth: w, outputChannels: out, kernelHeight: kernel,
                      kernelWidth: kernel, strideHeight: stride, strideWidth: stride, pads: pads,
                      weights: vector(out * c * kernel * kernel, scale: scale, &rng), bias: vector(out, scale: 0.2, &rng))
    }

    /// Elementwise normalisation, conv (stride 2, padding) → ReLU → conv (asymmetric pads) → ReLU → flatten →
    /// dense → ReLU → dense.
    static func convNet(seed: UInt64) -> Network {
        var rng = SplitMix64(seed: seed)
        let c1 = conv(1, 8, 8, out: 3, kernel: 3, stride: 2, pads: [1, 1, 1, 1], &rng)
        let c2 = conv(3, 4, 4, out: 4, kernel: 2, stride: 1, pads: [0, 1, 1, 0], &rng)
        let flat = c2.outputCount
        let layers: [Layer] = [
            .elementwise(ElementwiseAffine(scale: vector(64, &rng).map { 1 + $0 / 2 }, shift: vector(64, &rng))),
            .conv2d(c1), .relu, .conv2d(c2), .relu, .reshape([1, flat]),
            dense(flat, 10, &rng), .relu, dense(10, 3, &rng),
        ]
        return try! Network(inputShape: [1, 1, 8, 8], layers: layers)
    }

    /// Depthwise conv (groups 2, stride 2, padding) → ReLU → transposed conv (stride 2, pads, output padding 1 in height,
    /// groups 2) → ReLU → flatten → dense → ReLU → dense.
    static func transposedConvNet(seed: UInt64) -> Network {
        var rng = SplitMix64(seed: seed)
        let depthwise = Conv2D(
            inputChannels: 2, inputHeight: 6, inputWidth: 6, outputChannels: 2, kernelHeight: 3, kernelWidth: 3,
            strideHeight: 2, strideWidth: 2, pads: [1, 1, 1, 1], groups: 2,
            weights: Conv2D.expandingGroups(vector(18, scale: 0.8, &rng), outputChannels: 2, inputChannels: 2, taps: 9, groups: 2),
            bias: vector(2, scale: 0.2, &rng))
        let up = ConvTranspose2D(
            inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 4, outputHeight: 7, outputWidth: 5,
            kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 2, pads: [1, 0, 0, 1], groups: 2,
            weights: vector(2 * 2 * 6, scale: 0.8, &rng), bias: vector(4, scale: 0.2, &rng))
        let layers: [Layer] = [
            .conv2d(depthwise), .relu, .convTranspose(up), .relu, .reshape([1, 140]), dense(140, 8, &rng), .relu,
            dense(8, 3, &rng),
        ]
        return try! Network(inputShape: [1, 2, 6, 6], layers: layers)
    }

    /// conv → ReLU → max pool (2×2, stride 2) → conv → ReLU → average pool (3×3, stride 1, pad 1) → dense.
    static func poolNet(seed: UInt64) -> Network {
        var rng = SplitMix64(seed: seed)
        let c1 = conv(2, 6, 6, out: 3, kernel: 3, stride: 1, pads: [1, 1, 1, 1], &rng)
        let mp = Pool2D(channels: 3, inputHeight: 6, inputWidth: 6, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                        strideWidth: 2)
        let c2 = conv(3, 3, 3, out: 2, kernel: 2, stride: 1, pads: [1, 1, 0, 0], &rng)
        let ap = Pool2D(channels: 2, inputHeight: 3, inputWidth: 3, kernelHeight: 3, kernelWidth: 3, strideHeight: 1,
                        strideWidth: 1, pads: [1, 1, 1, 1], countIncludePad: seed % 2 == 0)
        let layers: [Layer] = [
            .conv2d(c1), .relu, .maxPool(mp), .conv2d(c2), .relu, .averagePool(ap), .reshape([1, 18]),
            dense(18, 4, &rng),
        ]
        return try! Network(inputShape: [1, 2, 6, 6], layers: layers)
    }

    /// Dense layers with sigmoid and tanh activations and an elementwise layer.
    static func smoothNet(seed: UInt64) -> Network {
        var rng = SplitMix64(seed: seed)
        let layers: [Layer] = [
            dense(4, 12, &rng), .sigmoid, dense(12, 10, &rng), .tanh,
            .elementwise(ElementwiseAffine(scale: vector(10, scale: 2, &rng), shift: vector(10, &rng))),
            dense(10, 8, &rng), .relu, dense(8, 3, &rng),
        ]
        return try! Network(inputShape: [1, 4], layers: layers)
    }

    /// Softmax at the output (two groups of 3) or, with `hidden`, inside the network (three groups of 4, then
    /// dense and ReLU layers).
    static func softmaxNet(seed: UInt64, hidden: Bool) -> Network {
        var rng = SplitMix64(seed: seed)
        let layers: [Layer] = hidden
            ? [dense(4, 12, &rng), .softmax(Softmax(size: 4)), dense(12, 8, &rng), .relu, dense(8, 3, &rng)]
            : [dense(4, 12, &rng), .relu, dense(12, 6, &rng), .softmax(Softmax(size: 3))]
        return try! Network(inputShape: [1, 4], layers: layers)
    }

    /// A box of random centre in [−1, 1] and half-width up to `radius`.
    static func box(_ n: Int, radius: Double, seed: UInt64) -> Box {
        var rng = SplitMix64(seed: seed ^ 0xB0B)
        let c = vector(n, &rng)
        let r = (0..<n).map { _ in Double.random(in: 0.2...1, using: &rng) * radius }
        return Box(lower: zip(c, r).map { $0 - $1 }, upper: zip(c, r).map { $0 + $1 })
    }

    /// `count` points of `box`: one in four a random corner, the rest uniform.
    static func samples(_ box: Box, count: Int, seed: UInt64) -> [[Double]] {
        var rng = SplitMix64(seed: seed ^ 0x5A5A)
        return (0..<count).map { s in
            (0..<box.dimension).map { j in
                if s % 4 == 0 { return Bool.random(using: &rng) ? box.lower[j] : box.upper[j] }
                return Double.random(in: box.lower[j]...box.upper[j], using: &rng)
            }
        }
    }

    /// A random `rows × n` objective.
    static func objective(rows: Int, _ n: Int, seed: UInt64) -> Matrix {
        var rng = SplitMix64(seed: seed ^ 0x0B1)
        return Matrix(rows: rows, columns: n, storage: vector(rows * n, &rng))
    }
}
