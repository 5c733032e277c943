/// Why a Lipschitz bound could not be computed.
public enum LipschitzError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layer at `layer` is not slope-restricted or not affine (for example max pooling).
    case unsupportedLayer(layer: Int, kind: String)
    /// Per-neuron slope data does not match the network's activation layers.
    case slopeShapeMismatch(expected: [Int], found: [Int])
    /// The final certification could not establish M(ρ,T) ⪯ 0 even after raising ρ (numerical breakdown).
    case certificationFailed(method: LipschitzMethod, reason: String)

    /// A one-line description.
    public var description: String {
        switch self {
        case let .unsupportedLayer(layer, kind): "unsupported for Lipschitz: \(kind) at layer \(layer)"
        case let .slopeShapeMismatch(expected, found):
            "slope intervals per activation layer: expected sizes \(expected), found \(found)"
        case let .certificationFailed(method, reason): "\(method.rawValue): certification failed: \(reason)"
        }
    }
}
