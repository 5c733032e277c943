public import Verifier

/// Why two networks could not be compared.
public enum ComparisonError: Error, Sendable {
    /// The networks differ in their number of inputs or outputs.
    case interfaceMismatch(String)
    /// A property does not fit the networks or cannot be verified (`property` names it).
    case property(name: String, VerifierError)
}

extension ComparisonError: CustomStringConvertible {
    /// A one-line description.
    public var description: String {
        switch self {
        case let .interfaceMismatch(reason): "the networks cannot be compared: \(reason)"
        case let .property(name, error): "\(name): \(error)"
        }
    }
}
