/// Why a ``BoundPropagator`` could not be built.
public enum BoundsError: Error, Sendable, Equatable {
    /// Layer `layer` (index into `Network.layers`) of kind `kind` cannot be bounded soundly, for `reason`.
    case unsupportedLayer(layer: Int, kind: String, reason: String)
}

extension BoundsError: CustomStringConvertible {
    /// A one-line description naming the layer.
    public var description: String {
        switch self {
        case let .unsupportedLayer(layer, kind, reason):
            "layer \(layer) (\(kind)): cannot be bounded soundly: \(reason)"
        }
    }
}
