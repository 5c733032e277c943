public import Network
public import VNNLib

/// A network taking part in a comparison, with the model as stored for replaying counterexamples.
public struct ComparedNetwork: Sendable {
    /// The network.
    public var network: Network
    /// The model as stored (`NetworkLoader.loadWithReference`), replayed on every counterexample; nil to confirm
    /// on ``network`` alone.
    public var reference: (any ReferenceEvaluator)?

    /// A network with an optional reference evaluator.
    public init(_ network: Network, reference: (any ReferenceEvaluator)? = nil) {
        self.network = network
        self.reference = reference
    }
}

/// A property to check on both networks, with the name reports give it (usually its file name).
public struct ComparedProperty: Sendable {
    /// The name in reports.
    public var name: String
    /// The single-network property.
    public var specification: Specification

    /// A named property.
    public init(name: String, specification: Specification) {
        self.name = name
        self.specification = specification
    }
}
