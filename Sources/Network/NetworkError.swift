/// Why a ``Network`` could not be built or evaluated.
public enum NetworkError: Error, Sendable, Equatable {
    /// A layer's parameters or geometry do not fit the tensor entering it.
    case shapeMismatch(layer: Int, expected: String, found: [Int])
    /// A shape is invalid (non-positive dimension, element count change in a reshape, …).
    case invalidShape(layer: Int?, shape: [Int], reason: String)
    /// A weight, bias or constant is NaN or infinite.
    case nonFiniteParameter(layer: Int, what: String)
    /// An input vector has the wrong length or holds NaN/∞.
    case invalidInput(expectedCount: Int, found: Int)
    /// The input clipping box does not fit the input (wrong dimension, a lower bound above its upper bound, NaN).
    case invalidInputClamp(reason: String)
}

extension NetworkError: CustomStringConvertible {
    /// A one-line description naming the layer.
    public var description: String {
        switch self {
        case let .shapeMismatch(layer, expected, found):
            "layer \(layer): expected input \(expected), found shape \(found)"
        case let .invalidShape(layer, shape, reason):
            (layer.map { "layer \($0): " } ?? "") + "invalid shape \(shape): \(reason)"
        case let .nonFiniteParameter(layer, what):
            "layer \(layer): \(what) contains NaN or infinity"
        case let .invalidInput(expected, found):
            "input has \(found) values, the network expects \(expected)"
        case let .invalidInputClamp(reason):
            "invalid input clipping range: \(reason)"
        }
    }
}
