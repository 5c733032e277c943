import Network
import Tensor

/// The check that two networks have the same layer structure: the same number of layers, the same kind at each
/// index, the same input shape and the same shape after every layer (and, for convolutions, the same geometry).
/// Parameters (weights, biases) may differ.
enum StructureCheck {
    /// Throws ``DifferentialError/structureMismatch(layer:reason:)`` at the first difference, and
    /// ``DifferentialError/unsupportedLayer(layer:kind:)`` for a layer kind without a difference rule,
    /// ``DifferentialError/inputDimension(expected:found:)`` for a box of another dimension; networks that clip
    /// their inputs must clip to the same range.
    static func validate(_ f: Network, _ g: Network, box: Box) throws(DifferentialError) {
        try validate(f, g)
        guard box.dimension == f.inputCount else {
            throw .inputDimension(expected: f.inputCount, found: box.dimension)
        }
        guard f.inputClamp == g.inputClamp else {
            throw .structureMismatch(layer: 0, reason: "the networks clip their inputs to different ranges")
        }
    }

    /// The layer-by-layer part of ``validate(_:_:box:)``.
    static func validate(_ f: Network, _ g: Network) throws(DifferentialError) {
        guard f.inputShape == g.inputShape else {
            throw .structureMismatch(layer: 0, reason: "input shapes \(f.inputShape) and \(g.inputShape)")
        }
        guard f.layers.count == g.layers.count else {
            throw .structureMismatch(
                layer: min(f.layers.count, g.layers.count),
                reason: "\(f.layers.count) and \(g.layers.count) layers")
        }
        for i in f.layers.indices {
            let a = f.layers[i], b = g.layers[i]
            guard a.kindName == b.kindName else {
                throw .structureMismatch(layer: i, reason: "\(a.kindName) and \(b.kindName)")
            }
            guard f.layerShapes[i] == g.layerShapes[i] else {
                throw .structureMismatch(layer: i, reason: "output shapes \(f.layerShapes[i]) and \(g.layerShapes[i])")
            }
            switch (a, b) {
            case (.dense, .dense), (.elementwise, .elementwise), (.relu, .relu), (.reshape, .reshape): break
            case let (.conv2d(x), .conv2d(y)):
                guard x.hasSameGeometry(as: y) else {
                    throw .structureMismatch(layer: i, reason: "convolutions of different kernel, stride, padding, dilation or groups")
                }
            case let (.maxPool(x), .maxPool(y)):
                guard x == y else { throw .structureMismatch(layer: i, reason: "max pooling of different geometry") }
                guard (0..<x.outputCount).allSatisfy({ !x.window(of: $0).indices.isEmpty }) else {
                    throw .unsupportedLayer(layer: i, kind: a.kindName)
                }
            default: throw .unsupportedLayer(layer: i, kind: a.kindName)
            }
        }
    }
}
