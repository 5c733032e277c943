import Synchronization

/// The progress of a ``PortfolioSearch`` as one snapshot: each search reports its own, and the display gets both
/// searches' nodes and frontiers summed (as the final statistics count them), the better of their worst margins
/// and closed shares (either search closing decides) and the second search's share of the nodes.
final class PortfolioProgress: Sendable {
    private let report: @Sendable (VerificationProgress) -> Void
    private let latest = Mutex<[VerificationProgress?]>([nil, nil])

    init(report: @escaping @Sendable (VerificationProgress) -> Void) {
        self.report = report
    }

    /// The callback for the first (`search` 0) or the second (`search` 1) search.
    func callback(search: Int) -> @Sendable (VerificationProgress) -> Void {
        { [self] snapshot in
            let combined = latest.withLock { latest in
                latest[search] = snapshot
                return Self.combined(latest[0], latest[1])
            }
            report(combined)
        }
    }

    /// Both snapshots as one; a search that has not reported yet counts as empty.
    static func combined(_ first: VerificationProgress?, _ second: VerificationProgress?) -> VerificationProgress {
        let empty = VerificationProgress(nodes: 0, frontier: 0, worstMargin: -.infinity, elapsed: 0)
        let (first, second) = (first ?? empty, second ?? empty)
        return VerificationProgress(
            nodes: first.nodes + second.nodes, frontier: first.frontier + second.frontier,
            worstMargin: Swift.max(first.worstMargin, second.worstMargin),
            elapsed: Swift.max(first.elapsed, second.elapsed),
            closedShare: Swift.max(first.closedShare, second.closedShare), secondSearchNodes: second.nodes)
    }
}
