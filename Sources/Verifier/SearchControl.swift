import Synchronization

/// Switches another thread can pull on a running ``BranchAndBound``: stop it, or let fewer of its workers go on.
/// A ``PortfolioSearch`` uses them to hand a worker from one search to the other and to stop the loser.
final class SearchControl: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let workerLimit: Atomic<Int>

    /// A control that lets `workers` workers run.
    init(workers: Int) { workerLimit = Atomic(workers) }

    /// True once ``stop()`` was called: the search ends at its next pop with ``Verdict/unknown(reason:)``.
    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Ends the search (its verdict no longer matters).
    func stop() { stopped.store(true, ordering: .releasing) }

    /// Whether worker `id` (0-based) may take more nodes; a worker above the limit leaves when it next asks.
    func admits(worker id: Int) -> Bool { id < workerLimit.load(ordering: .acquiring) }

    /// Lets only the first `count` workers (at least one) take more nodes.
    func limitWorkers(to count: Int) { workerLimit.store(Swift.max(1, count), ordering: .releasing) }
}
