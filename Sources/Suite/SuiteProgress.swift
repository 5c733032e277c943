public import Verifier

/// Where a running suite is, for a progress display: reported when an instance starts and while it is searched.
public struct SuiteProgress: Sendable {
    /// Instances finished so far (of this shard).
    public var completed: Int
    /// Instances to run (of this shard).
    public var total: Int
    /// The running instance, `NET PROP` as listed.
    public var instance: String
    /// The running search's progress, once it has some.
    public var search: VerificationProgress?
}
