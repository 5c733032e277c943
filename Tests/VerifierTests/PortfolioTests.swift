import Bounds
import Branching
import Network
import Tensor
import Synchronization
import Testing
import VNNLib
@testable import Verifier

/// The portfolio of two branching heuristics (``PortfolioChoice``, ``PortfolioSearch``): when it runs, which verdict
/// it reports, and that a stopped search never claims a proof. `DifferentialTests` checks its verdicts against the
/// exact MILP with the second search starting at once.
struct PortfolioTests {
    @Test func parsesTheCommandLineNames() {
        #expect(PortfolioChoice(argument: "auto") == .automatic)
        #expect(PortfolioChoice(argument: "none") == .off)
        #expect(PortfolioChoice(argument: "fsb:better") == .second(BranchingChoice(kind: .fsb, parameter: "better")))
        #expect(PortfolioChoice(argument: "widest") == .second(.widest))
        #expect(PortfolioChoice(argument: "fsb:best") == nil)
        #expect(PortfolioChoice(argument: "") == nil)
        #expect(PortfolioChoice.automatic.description == "auto")
        #expect(PortfolioChoice.second(.widest).description == "widest")
    }

    @Test func automaticallyFSBBetterBesideBaBSROnNetworksWithoutConvolutions() throws {
        let conv = try NodeBoundsTests.convNetwork(seed: 1)
        let mlp = try NodeBoundsTests.denseExpansion(of: conv)
        var search = SearchOptions()
        #expect(search.portfolioBranching(for: mlp) == PortfolioChoice.automaticSecond)
        #expect(search.portfolioBranching(for: conv) == nil)
        search.branching = .widest
        #expect(search.portfolioBranching(for: mlp) == nil, "auto pairs FSB with BaBSR only")
        search.portfolio = .second(.babsr)
        #expect(search.portfolioBranching(for: conv) == .babsr, "an explicit second heuristic runs on any network")
        search.portfolio = .second(.widest)
        #expect(search.portfolioBranching(for: mlp) == nil, "the same heuristic twice is one search")
        search.portfolio = .off
        search.branching = .babsr
        #expect(search.portfolioBranching(for: mlp) == nil)
    }

    static func result(_ verdict: Verdict, nodes: Int) -> VerificationResult {
        var statistics = VerificationStatistics()
        statistics.nodes = nodes
        return VerificationResult(verdict: verdict, statistics: statistics)
    }

    @Test func aCounterexampleWinsThenAProofThenTheFirstSearchsVerdict() {
        let cex = Verdict.violated(
            Counterexample(input: [0], output: [1], outputFloat32: [1], caseIndex: 0, disjunctIndex: 0, margin: 0))
        let cases: [(Verdict, Verdict, Verdict, Bool)] = [
            (.timeout, .proven, .proven, true),
            (.proven, cex, cex, true),
            (cex, .proven, cex, false),
            (.proven, .timeout, .proven, false),
            (.timeout, .unknown(reason: "r"), .timeout, false),
            (.unknown(reason: "r"), .timeout, .unknown(reason: "r"), false),
        ]
        for (first, second, expected, bySecond) in cases {
            let combined = PortfolioSearch.combined(
                first: Self.result(first, nodes: 10), second: Self.result(second, nodes: 3))
            #expect(combined.verdict == expected)
            #expect(combined.statistics.nodes == 13)
            #expect(combined.statistics.secondSearchNodes == 3)
            #expect(combined.statistics.decidedBySecondSearch == bySecond)
        }
    }

    /// A search stopped from outside ends with `unknown`, never `proven`, although nothing refuted its open root.
    @Test func aStoppedSearchNeverClaimsAProof() throws {
        var rng = SplitMix64(seed: 11)
        let network = try DifferentialTests.mlp([3, 12, 12, 2], &rng)
        let box = Box(lower: [-1, -1, -1], upper: [1, 1, 1])
        var c = Matrix(rows: 1, columns: 2)
        c[0, 0] = 1
        let problem = try VerificationProblem(
            network: network, cases: [.init(box: box, regions: [OutputPolytope(coefficients: c, bounds: [-1e6])])])
        let options = VerificationOptions(timeout: 30, search: SearchOptions(mode: .reluSplit))
        let search = BranchAndBound(
            problem: problem, options: options, policy: try options.branchingPolicy(for: network),
            propagator: try BoundPropagator(network: network), start: .now, deadline: .now + .seconds(30))
        search.control.stop()
        let result = search.run(roots: [Verifier.root(problem, case: 0)])
        guard case .unknown = result.verdict else {
            Issue.record("a stopped search reported \(result.verdict)")
            return
        }
        #expect(result.statistics.nodes == 0)
    }

    /// A proven search has closed the whole space: the closed nodes' shares (halved at each split) sum to 1.
    @Test func aProvenSearchClosesTheWholeSpace() throws {
        var rng = SplitMix64(seed: 5)
        let network = try DifferentialTests.mlp([2, 10, 10, 1], &rng)
        let box = Box(lower: [-1, -1], upper: [1, 1])
        var c = Matrix(rows: 1, columns: 1)
        c[0, 0] = 1
        // Y ≤ d just below the exact minimum of Y: unsat, and close enough that the search must split.
        let minimum = try #require(
            try ExactMILP.minimumMargin(network: network, box: box, region: OutputPolytope(coefficients: c, bounds: [0])))
        let problem = try VerificationProblem(
            network: network, cases: [.init(box: box, regions: [OutputPolytope(coefficients: c, bounds: [minimum - 1e-3])])])
        var search = SearchOptions(mode: .reluSplit, workers: 1)
        search.portfolio = .off
        let options = VerificationOptions(timeout: 30, search: search)
        let bab = BranchAndBound(
            problem: problem, options: options, policy: try options.branchingPolicy(for: network),
            propagator: try BoundPropagator(network: network), start: .now, deadline: .now + .seconds(30))
        // Two copies of the root, each holding half of the space.
        var half = Verifier.root(problem, case: 0)
        half.share = 0.5
        let result = bab.run(roots: [half, half])
        #expect(result.verdict == .proven)
        #expect(result.statistics.nodes > 2, "the search split")
        #expect(abs(result.statistics.closedShare - 1) < 1e-12)
    }

    /// The display sees both searches: nodes and frontiers summed, the better worst margin, the second's share.
    @Test func progressSumsBothSearches() {
        let reports = Mutex<[VerificationProgress]>([])
        let progress = PortfolioProgress { snapshot in reports.withLock { $0.append(snapshot) } }
        progress.callback(search: 0)(
            VerificationProgress(nodes: 100, frontier: 40, worstMargin: -0.5, elapsed: 3, closedShare: 0.25))
        progress.callback(search: 1)(
            VerificationProgress(nodes: 7, frontier: 5, worstMargin: -0.2, elapsed: 3.5, closedShare: 0.125))
        progress.callback(search: 0)(
            VerificationProgress(nodes: 120, frontier: 30, worstMargin: -0.4, elapsed: 4, closedShare: 0.5))
        let seen = reports.withLock { $0 }
        #expect(seen.map(\.nodes) == [100, 107, 127])
        #expect(seen.map(\.frontier) == [40, 45, 35])
        #expect(seen.map(\.worstMargin) == [-0.5, -0.2, -0.2])
        #expect(seen.map(\.secondSearchNodes) == [0, 7, 7])
        #expect(seen.map(\.closedShare) == [0.25, 0.25, 0.5])
        #expect(seen.last?.elapsed == 4)
    }
}
