/// Why a report could not be built, read or merged.
public enum ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `--shard` value that is not `K/N` with `1 ≤ K ≤ N`.
    case invalidShard(String)
    /// A report file that is not an nncert report (wrong schema or version, or not JSON); the reason says which.
    case unreadable(reason: String)
    /// Shard reports that do not belong to one run (different commands, titles, totals or shard counts).
    case mismatchedShards(String)
    /// The merged shards do not hold every check of the run exactly once.
    case incompleteMerge(String)

    public var description: String {
        switch self {
        case .invalidShard(let text): "invalid shard '\(text)': expected K/N with 1 ≤ K ≤ N"
        case .unreadable(let reason): "not an nncert report: \(reason)"
        case .mismatchedShards(let reason): "the shard reports are not of one run: \(reason)"
        case .incompleteMerge(let reason): "the shard reports do not make a whole run: \(reason)"
        }
    }
}
