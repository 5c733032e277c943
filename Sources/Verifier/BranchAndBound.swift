import Bounds
import Branching
import Foundation
import HeapModule
import Tensor

/// The branch-and-bound search: a frontier of ``SearchNode``s ordered by refutation margin, shared by worker
/// threads that each own their own LP solver (GLPK problems must live on one thread).
///
/// A node is popped, processed by a ``NodeProcessor`` (bounds, attack, LP) and either closed, or replaced by
/// its children. The run ends when the frontier is empty (proven, or unknown if some node could not be
/// decided), a counterexample is confirmed, the deadline passes, or the frontier exceeds its memory cap.
final class BranchAndBound: @unchecked Sendable {
    private let problem: VerificationProblem
    private let options: VerificationOptions
    private let policy: BranchingPolicy
    private let propagator: BoundPropagator
    private let start: ContinuousClock.Instant
    private let deadline: ContinuousClock.Instant
    /// Stops the search or retires workers from outside (a ``PortfolioSearch``).
    let control: SearchControl

    // Shared state, guarded by `condition`.
    private let condition = NSCondition()
    private var frontier = Heap<FrontierEntry>()
    private var sequence = 0
    private var busyWorkers = 0
    private var finalVerdict: Verdict?
    private var undecidedReason: String?
    private var statistics = VerificationStatistics()
    private var processedNodes = 0
    /// The summed ``SearchNode/share`` of the nodes closed so far.
    private var closedShare = 0.0
    private var lastProgress: ContinuousClock.Instant
    private var nextID = 0
    /// The search tree, when ``VerificationOptions/recordsTrace``.
    private var trace: SearchTrace?

    init(problem: VerificationProblem, options: VerificationOptions, policy: BranchingPolicy, propagator: BoundPropagator,
         start: ContinuousClock.Instant, deadline: ContinuousClock.Instant) {
        self.control = SearchControl(workers: Swift.max(1, options.search.workers))
        self.problem = problem
        self.options = options
        self.policy = policy
        self.propagator = propagator
        self.start = start
        self.deadline = deadline
        self.lastProgress = start
        self.trace = options.search.recordsTrace ? SearchTrace() : nil
    }

    /// Runs the search from `roots` and returns the verdict with the run's statistics.
    func run(roots: [SearchNode]) -> VerificationResult {
        for node in roots { push(node) }
        let workers = Swift.max(1, options.search.workers)
        let done = DispatchGroup()
        for id in 1..<workers {
            done.enter()
            let thread = Thread { [self] in
                workerLoop(id: id)
                done.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        workerLoop(id: 0)
        done.wait()
        condition.lock()
        defer { condition.unlock() }
        let verdict = finalVerdict ?? (undecidedReason.map { Verdict.unknown(reason: $0) } ?? .proven)
        statistics.closedShare = Swift.min(closedShare, 1)
        if trace != nil {
            for entry in frontier.unordered { record(entry.node, .open, evaluation: nil) }
        }
        return VerificationResult(verdict: verdict, statistics: statistics, trace: trace)
    }

    private func push(_ node: SearchNode) {
        var node = node
        node.id = nextID
        nextID += 1
        frontier.insert(FrontierEntry(node: node, sequence: sequence))
        sequence += 1
    }

    /// Appends `node`'s record to the trace (under the lock).
    private func record(_ node: SearchNode, _ ending: SearchTrace.Ending, evaluation: NodeEvaluation?) {
        guard trace != nil else { return }
        let leaf = ending != .split
        let decision = node.decision.map { d -> SearchTrace.Decision in
            switch d {
            case let .bisect(dimension): SearchTrace.Decision(bisect: dimension)
            case let .splitReLU(n): SearchTrace.Decision(relu: [n.layer, n.neuron], active: node.isActiveSide)
            }
        }
        trace!.nodes.append(
            SearchTrace.Node(
                id: node.id, parent: node.parent, caseIndex: node.caseIndex, decision: decision,
                boundBefore: node.parent == nil ? nil : node.priority, boundAfter: evaluation?.worstMargin,
                ending: ending, box: leaf && node.box != problem.cases[node.caseIndex].box ? node.box : nil,
                splits: leaf ? node.splits.splits : nil))
    }

    /// How a node with this outcome ended, for the trace.
    private static func ending(_ outcome: NodeOutcome) -> SearchTrace.Ending {
        switch outcome.result {
        case .refuted:
            guard let evaluation = outcome.evaluation else { return .infeasible }
            if !evaluation.refutedByLP.isEmpty { return .refutedByLP }
            return evaluation.refutedByDifference.isEmpty ? .refutedByBound : .refutedByDifference
        case .counterexample: return .counterexample
        case .branch: return .split
        case .undecidable: return .undecidable
        }
    }

    private func workerLoop(id: Int) {
        var processor = NodeProcessor(problem: problem, options: options, policy: policy, propagator: propagator,
                                      seed: options.search.seed &+ UInt64(id) &* 0x9E37_79B9, deadline: deadline)
        // Input bisection (ACAS Xu-like searches) keeps one node at a time: its CROWN bounds are cheap and its
        // order matters; a ReLU-split search bounds a batch of nodes' objectives together.
        let batch = policy.usesInputSplits ? 1 : Swift.max(1, options.search.batchSize ?? automaticBatchSize)
        while case let nodes = nextNodes(atMost: batch, worker: id), !nodes.isEmpty {
            for (node, outcome) in zip(nodes, processor.process(nodes)) { finish(node: node, outcome: outcome) }
            if id == 0 { reportProgress() }
        }
        condition.lock()
        statistics.merge(processor.statistics)
        condition.unlock()
    }

    /// The nodes per batch when ``SearchOptions/batchSize`` is nil: as many as the memory budget holds for the
    /// largest case's objective rows, within ``SearchOptions/automaticBatchRange``.
    private var automaticBatchSize: Int {
        let rows = problem.cases.map { $0.regions.reduce(0) { $0 + $1.rowCount } }.max() ?? 1
        let fit = propagator.batchCapacity(rowsPerProblem: Swift.max(rows, 1), budget: BoundOptions().slopeMemoryBudget)
        let range = SearchOptions.automaticBatchRange
        return Swift.min(Swift.max(fit, range.lowerBound), range.upperBound)
    }

    /// The next nodes to process (at most `limit`, the frontier's worst first), or none when the search is over
    /// (for this worker: also when ``control`` no longer admits it).
    private func nextNodes(atMost limit: Int, worker id: Int) -> [SearchNode] {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if finalVerdict != nil { return [] }
            if control.isStopped {
                finalVerdict = .unknown(reason: "stopped: another search of the portfolio decided first")
                condition.broadcast()
                return []
            }
            if !control.admits(worker: id) { return [] }
            if ContinuousClock.now >= deadline {
                finalVerdict = .timeout
                condition.broadcast()
                return []
            }
            if !frontier.isEmpty {
                // At most this worker's share of the frontier, so that a small frontier still feeds every worker.
                let workers = Swift.max(1, options.search.workers)
                let take = Swift.min(limit, (frontier.count + workers - 1) / workers)
                var nodes: [SearchNode] = []
                while nodes.count < take, !frontier.isEmpty {
                    // Under memory pressure close the nodes nearest to proven first: they shrink the frontier.
                    let entry = frontier.count > options.search.maxFrontier ? frontier.popMax()! : frontier.popMin()!
                    nodes.append(entry.node)
                }
                busyWorkers += nodes.count
                return nodes
            }
            if busyWorkers == 0 {
                condition.broadcast()
                return []
            }
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
        }
    }

    private func finish(node: SearchNode, outcome: NodeOutcome) {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        busyWorkers -= 1
        processedNodes += 1
        record(node, Self.ending(outcome), evaluation: outcome.evaluation)
        switch outcome.result {
        case .refuted:
            closedShare += node.share
        case let .counterexample(cex):
            if case .violated = finalVerdict {} else { finalVerdict = .violated(cex) }
        case let .branch(children):
            for child in children { push(child) }
            statistics.maxFrontier = Swift.max(statistics.maxFrontier, frontier.count)
            statistics.maxDepth = Swift.max(statistics.maxDepth, node.depth + 1)
            if frontier.count > 2 * options.search.maxFrontier, finalVerdict == nil {
                finalVerdict = .unknown(reason: "frontier exceeded its memory cap of \(2 * options.search.maxFrontier) nodes")
            }
        case let .undecidable(reason):
            closedShare += node.share
            if undecidedReason == nil { undecidedReason = reason }
        }
    }

    private func reportProgress() {
        guard let progress = options.progress else { return }
        let now = ContinuousClock.now
        guard now - lastProgress >= .milliseconds(500) else { return }
        lastProgress = now
        condition.lock()
        let snapshot = VerificationProgress(
            nodes: processedNodes, frontier: frontier.count, worstMargin: frontier.min?.node.priority ?? 0,
            elapsed: (now - start).seconds, closedShare: closedShare)
        condition.unlock()
        progress(snapshot)
    }
}
