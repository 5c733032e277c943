import Branching
import Bounds
import Dispatch
import Foundation
import Synchronization
import Tensor

/// Two branch-and-bound searches of one problem with different branching heuristics (``PortfolioChoice``).
///
/// The first search runs alone with every worker until ``SearchOptions/portfolioShare`` of the time limit has
/// passed; a search decided by then is unchanged. Otherwise it keeps half of its workers (rounded up), and the
/// second search starts from the same roots with the others. The first to decide — a confirmed counterexample or a
/// proof — stops the other and gives the verdict; each search is complete and sound on its own, so either answer
/// stands. When neither decides, the first search's verdict (timeout, or its reason for unknown) is reported.
struct PortfolioSearch {
    var first: BranchAndBound
    var second: BranchAndBound
    /// Workers of the whole run.
    var workers: Int
    /// When the second search starts if the first is still open.
    var secondStart: ContinuousClock.Instant

    /// Runs the searches from `roots`: the result of the one that decided (its trace, when recorded), with both
    /// searches' counters.
    func run(roots: [SearchNode]) -> VerificationResult {
        let firstResult = ResultSlot()
        let firstDone = DispatchSemaphore(value: 0)
        let thread = Thread { [first, second] in
            let result = first.run(roots: roots)
            if result.verdict.isDecided { second.control.stop() }
            firstResult.value.withLock { $0 = result }
            firstDone.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        let wait = Swift.max(0, (secondStart - ContinuousClock.now).seconds)
        if firstDone.wait(timeout: .now() + .nanoseconds(Int((wait * 1e9).rounded(.up)))) == .success {
            return firstResult.value.withLock { $0! }
        }
        first.control.limitWorkers(to: workers - workers / 2)
        let secondResult = second.run(roots: roots)
        if secondResult.verdict.isDecided { first.control.stop() }
        firstDone.wait()
        return Self.combined(first: firstResult.value.withLock { $0! }, second: secondResult)
    }

    /// The winner's result with both searches' counters: a counterexample first, then a proof, then the first
    /// search's verdict.
    static func combined(first: VerificationResult, second: VerificationResult) -> VerificationResult {
        let secondWins: Bool = switch (first.verdict, second.verdict) {
        case (.violated, _): false
        case (_, .violated): true
        case (.proven, _): false
        case (_, .proven): true
        default: false
        }
        var result = secondWins ? second : first
        result.statistics.merge(secondWins ? first.statistics : second.statistics)
        result.statistics.secondSearchNodes = second.statistics.nodes
        result.statistics.decidedBySecondSearch = secondWins
        return result
    }
}

/// The first search's result, handed from its thread.
private final class ResultSlot: Sendable {
    let value = Mutex<VerificationResult?>(nil)
}
