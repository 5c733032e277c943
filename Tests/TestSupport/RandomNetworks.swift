public import Network
import Tensor

/// Seeded random networks shared by the test targets (a library, not a test bundle, so that several use it).
///
/// Each test keeps its own weight distribution (the networks its seeds and expectations were chosen for); the
/// structure and the order of the random draws live here.
public enum RandomNetworks {
    /// An MLP `widths[0] → … → widths.last` over input shape `[1, widths[0]]`: dense layers with `activation`
    /// between consecutive ones and none after the last.
    ///
    /// Layer by layer, the `fanOut × fanIn` weights are drawn first, in row-major order, by `weight(fanIn)`, then
    /// the `fanOut` biases by `bias()`.
    /// - Precondition: `widths` has at least two entries.
    /// - Throws: What `Network.init` throws (a non-positive width).
    public static func mlp(
        _ widths: [Int], activation: Layer = .relu, weight: (_ fanIn: Int) -> Double, bias: () -> Double
    ) throws -> Network {
        precondition(widths.count >= 2, "an MLP needs an input and an output width")
        var layers: [Layer] = []
        for k in 1..<widths.count {
            let fanIn = widths[k - 1], fanOut = widths[k]
            let w = (0..<(fanIn * fanOut)).map { _ in weight(fanIn) }
            let b = (0..<fanOut).map { _ in bias() }
            layers.append(.dense(Dense(weights: Matrix(rows: fanOut, columns: fanIn, storage: w), bias: b)))
            if k < widths.count - 1 { layers.append(activation) }
        }
        return try Network(inputShape: [1, widths[0]], layers: layers)
    }

    /// A seeded ReLU MLP of `widths` (weights `N(0, 1/fanIn)`, biases `N(0, 0.09)`) and a copy with every weight
    /// moved by a Gaussian of deviation `deviation`, biases kept: a compressed-looking pair for difference bounds.
    public static func noisyPair(_ widths: [Int], seed: UInt64, deviation: Double = 0.05) throws -> (Network, Network) {
        var rng = SplitMix64(seed: seed)
        let f = try mlp(widths, weight: { rng.nextGaussian() / Double($0).squareRoot() }, bias: { 0.3 * rng.nextGaussian() })
        let layers = f.layers.map { layer -> Layer in
            guard case let .dense(d) = layer else { return layer }
            let w = d.weights.storage.map { $0 + deviation * rng.nextGaussian() }
            return .dense(Dense(weights: Matrix(rows: d.weights.rows, columns: d.weights.columns, storage: w), bias: d.bias))
        }
        return (f, try Network(inputShape: f.inputShape, layers: layers))
    }
}
