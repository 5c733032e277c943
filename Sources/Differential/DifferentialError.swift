public import Bounds

/// Why certified difference bounds could not be computed.
public enum DifferentialError: Error, Sendable, Equatable {
    /// The two networks differ at layer `layer` (kind, shape or count of layers), for `reason`.
    case structureMismatch(layer: Int, reason: String)
    /// Layer `layer` of kind `kind` has no difference rule (dense, convolution, elementwise, ReLU, max pooling and
    /// reshape have one).
    case unsupportedLayer(layer: Int, kind: String)
    /// The box's dimension is not the networks' input count.
    case inputDimension(expected: Int, found: Int)
    /// One of the networks cannot be bounded (`network`: "original" or "compressed").
    case bounds(network: String, BoundsError)
}

extension DifferentialError: CustomStringConvertible {
    /// A one-line description naming the layer.
    public var description: String {
        switch self {
        case let .structureMismatch(layer, reason): "layer \(layer): the networks differ in structure: \(reason)"
        case let .unsupportedLayer(layer, kind): "layer \(layer) (\(kind)): no difference rule for this layer kind"
        case let .inputDimension(expected, found): "input box has \(found) coordinates, the networks take \(expected)"
        case let .bounds(network, error): "\(network) network: \(error)"
        }
    }
}
