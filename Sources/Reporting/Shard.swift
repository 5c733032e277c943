/// One part of a run split over several machines: shard `K` of `N` (1-based, as `--shard K/N` is written).
///
/// The split is deterministic and needs no coordination: the check with index `i` (its position in the unsharded
/// run) belongs to shard `i mod N + 1`, so consecutive checks — often of similar cost — land on different shards,
/// and every index belongs to exactly one shard.
public struct Shard: Codable, Sendable, Hashable, CustomStringConvertible {
    /// This shard's number, `1 ... count`.
    public let index: Int
    /// The number of shards.
    public let count: Int

    /// Shard `index` of `count`.
    /// - Throws: ``ReportError/invalidShard(_:)`` unless `1 ≤ index ≤ count`.
    public init(index: Int, count: Int) throws(ReportError) {
        guard count >= 1, (1...count).contains(index) else {
            throw .invalidShard("\(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`, e.g. `2/4`.
    /// - Throws: ``ReportError/invalidShard(_:)`` for anything else, or `K` outside `1 ... N`.
    public init(parsing text: String) throws(ReportError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { throw .invalidShard(text) }
        try self.init(index: k, count: n)
    }

    /// Whether the check at position `checkIndex` of the unsharded run belongs to this shard.
    public func contains(_ checkIndex: Int) -> Bool { checkIndex % count == index - 1 }

    /// The elements of `items` (in the unsharded run's order) that belong to this shard, with their indices.
    public func select<C: Collection>(_ items: C) -> [(index: Int, element: C.Element)] {
        items.enumerated().filter { contains($0.offset) }.map { (index: $0.offset, element: $0.element) }
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}
