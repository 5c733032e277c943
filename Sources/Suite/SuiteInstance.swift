/// One network–property pair of a suite, with its time limit and, when the list says so, its expected verdict.
public struct SuiteInstance: Sendable, Hashable {
    /// The network file as written in the list (the check's group in reports).
    public var networkName: String
    /// The property file as written in the list (the check's name in reports).
    public var propertyName: String
    /// The network file's path (relative names taken from the list's folder).
    public var network: String
    /// The property file's path.
    public var property: String
    /// The row's time limit in seconds, or nil to use the suite's default.
    public var timeout: Double?
    /// The verdict the list's `expected` column gives, if any.
    public var expected: SuiteVerdict?
    /// Where the instance was listed (`FILE:LINE`, or the command line), for messages.
    public var source: String

    /// An instance from its parts.
    public init(
        networkName: String, propertyName: String, network: String, property: String, timeout: Double? = nil,
        expected: SuiteVerdict? = nil, source: String
    ) {
        self.networkName = networkName
        self.propertyName = propertyName
        self.network = network
        self.property = property
        self.timeout = timeout
        self.expected = expected
        self.source = source
    }

    /// The key expected verdicts are looked up by: both resolved paths.
    public var key: InstanceKey { InstanceKey(network: network, property: property) }
}

/// A network–property pair by resolved paths, the key of ``ExpectedVerdicts``.
public struct InstanceKey: Sendable, Hashable {
    /// The network's standardised path.
    public var network: String
    /// The property's standardised path.
    public var property: String
}
