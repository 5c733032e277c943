import Network
import Tensor

/// Small seeded networks for the compression tests.
enum TestNetworks {
    /// A dense layer from rows and a bias.
    static func dense(_ rows: [[Double]], _ bias: [Double]) -> Layer {
        .dense(Dense(weights: Matrix(rows), bias: bias))
    }

    /// An MLP `widths[0] → … → widths.last` with ReLU between dense layers; weights and biases are Gaussian
    /// from SplitMix64(`seed`), scaled by `1/√fan-in`.
    static func mlp(_ widths: [Int], seed: UInt64) throws -> Network {
        var rng = SplitMix64(seed: seed)
        var layers: [Layer] = []
        for k in 1..<widths.count {
            let (n, m) = (widths[k - 1], widths[k])
            let scale = 1 / Double(n).squareRoot()
            let w = Matrix(rows: m, columns: n, storage: (0..<(m * n)).map { _ in rng.nextGaussian() * scale })
            layers.append(.dense(Dense(weights: w, bias: (0..<m).map { _ in 0.1 * rng.nextGaussian() })))
            if k < widths.count - 1 { layers.append(.relu) }
        }
        return try Network(inputShape: [1, widths[0]], layers: layers)
    }

    /// Seeded inputs in `[−1, 1]`.
    static func inputs(count: Int, dimension: Int, seed: UInt64) -> [[Double]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<dimension).map { _ in -1 + 2 * Double(rng.next() >> 11) * 0x1p-53 } }
    }

    /// The weights of dense layer `index`.
    static func weights(_ network: Network, _ index: Int) -> Matrix {
        guard case let .dense(d) = network.layers[index] else { fatalError("layer \(index) is not dense") }
        return d.weights
    }
}
