/// Why a verification problem could not be set up.
public enum VerifierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The property's variables do not match the network's inputs or outputs.
    case dimensionMismatch(what: String, expected: Int, found: Int)
    /// The property cannot be verified as stated (empty or unbounded box, …).
    case invalidProperty(String)
    /// The network has a layer the verifier cannot bound soundly.
    case unsupportedNetwork(String)
    /// An option cannot be honoured (a learned branching model that cannot be loaded).
    case unsupportedOption(String)
    /// The query has constructs verification does not handle yet (several networks in a single-network
    /// problem, input constraints beyond a box and ties).
    case unsupportedQuery(String)
    /// The models given for a multi-network query do not fit its network declarations (a missing, extra or
    /// structurally different model).
    case invalidNetworkBinding(String)
    /// A search trace given to reuse belongs to another problem: another property, or a network with another
    /// number of inputs (``Verifier/verify(_:reusing:)``).
    case incompatibleTrace(String)
    /// A search trace given to reuse has a node record that does not decode (its header was read first:
    /// ``SearchTrace/Lines``).
    case unreadableTrace(TraceError)

    /// One line.
    public var description: String {
        switch self {
        case let .dimensionMismatch(what, expected, found): "\(what): expected \(expected) values, found \(found)"
        case let .invalidProperty(reason): "invalid property: \(reason)"
        case let .unsupportedNetwork(reason): "unsupported network: \(reason)"
        case let .unsupportedQuery(reason): "unsupported query: \(reason)"
        case let .unsupportedOption(reason): "unsupported option: \(reason)"
        case let .invalidNetworkBinding(reason): "network binding: \(reason)"
        case let .incompatibleTrace(reason): "search trace: \(reason)"
        case let .unreadableTrace(error): "search trace: \(error)"
        }
    }
}
