public import Comparison
public import Gate
public import NetworkCompression

/// Why a sweep could not run.
public enum SweepError: Error, Sendable, CustomStringConvertible {
    /// A level's compression failed (an invalid value for the axis, a network the step cannot compress).
    case compression(level: String, CompressionError)
    /// The comparison failed (networks that do not match, a property that does not fit).
    case comparison(ComparisonError)
    /// The gate could not run at a level (a property that does not fit the networks).
    case gate(level: String, GateError)
    /// No levels were given.
    case noLevels

    public var description: String {
        switch self {
        case let .compression(level, error): "level \(level): \(error.description)"
        case let .comparison(error): error.description
        case let .gate(level, error): "level \(level): \(error.description)"
        case .noLevels: "a sweep needs at least one level"
        }
    }
}
