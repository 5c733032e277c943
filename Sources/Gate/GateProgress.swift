/// Where a running gate is, reported before each check.
public struct GateProgress: Sendable, Hashable {
    /// The check about to run.
    public var check: GateCheck
    /// Checks done so far (in this shard).
    public var done: Int
    /// Checks in this shard.
    public var total: Int
}
