/// The outcome of verifying a property.
///
/// The VNN-COMP words (`sat`, `unsat`, `timeout`, `unknown`) belong to the command line; the library speaks
/// in these cases.
public enum Verdict: Sendable, Hashable {
    /// The property is violated: a confirmed counterexample exists (VNN-COMP `sat`).
    case violated(Counterexample)
    /// No input in the property's region violates it: proven (VNN-COMP `unsat`).
    case proven
    /// The time limit ran out first.
    case timeout
    /// The search could not decide: numerical trouble, an LP that GLPK failed to solve, an unsupported layer,
    /// or the frontier's memory cap. Never a guess.
    case unknown(reason: String)
}

extension Verdict {
    /// A counterexample or a proof.
    public var isDecided: Bool {
        switch self {
        case .violated, .proven: true
        case .timeout, .unknown: false
        }
    }
}

/// Counters describing a verification run.
public struct VerificationStatistics: Sendable, Hashable {
    /// Branch-and-bound nodes processed.
    public var nodes = 0
    /// Bound propagation calls (intermediate + final).
    public var boundComputations = 0
    /// LPs solved (including warm re-solves).
    public var linearPrograms = 0
    /// LPs GLPK failed to solve even after retries.
    public var failedLinearPrograms = 0
    /// Falsification (PGD) runs.
    public var attacks = 0
    /// Largest frontier size seen.
    public var maxFrontier = 0
    /// Deepest node (number of splits on its path).
    public var maxDepth = 0
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// Branching decisions the learned heuristic (`gnn`) made.
    public var learnedDecisions = 0
    /// Of those, decisions where its fail-safe took BaBSR's choice.
    public var learnedFallbacks = 0
    /// Online fine-tuning steps of the learned heuristic.
    public var fineTuningSteps = 0
    /// Seconds the learned heuristic spent on inference (features and scores), summed over workers.
    public var learnedInferenceSeconds = 0.0
    /// Nodes of an equivalence query's product network on which certified bounds of `g − f` were tried.
    public var differenceChecks = 0
    /// Of those, nodes where they refuted a region that the product network's own bounds left open.
    public var differenceRefutations = 0
    /// Box halves whose alpha-CROWN refinement was skipped (CROWN's margin out of the reach of the ancestor's gain).
    public var skippedRefinements = 0

    /// The share of the search space the branch and bound closed, from 0 to 1 (``VerificationProgress/closedShare``;
    /// each root it started from counts equally): 1 when it proved the property, how far it got when it timed out.
    /// For a portfolio, the larger of its two searches'.
    public var closedShare = 0.0

    /// A share from 0 to 1 in percent, rounded down to `decimals` (for reports of ``closedShare`` and
    /// ``VerificationProgress/closedShare``): a search with a corner still open never shows 100.
    public static func percent(_ share: Double, decimals: Int) -> Double {
        let scale = (0..<decimals).reduce(1.0) { scale, _ in 10 * scale }
        return (100 * scale * share).rounded(.down) / scale
    }

    /// Nodes processed by a portfolio's second search (``PortfolioChoice``); 0 when it did not run.
    public var secondSearchNodes = 0
    /// True when the verdict came from a portfolio's second search.
    public var decidedBySecondSearch = false

    /// Empty counters.
    public init() {}

    mutating func merge(_ other: VerificationStatistics) {
        nodes += other.nodes
        boundComputations += other.boundComputations
        linearPrograms += other.linearPrograms
        failedLinearPrograms += other.failedLinearPrograms
        attacks += other.attacks
        maxFrontier = Swift.max(maxFrontier, other.maxFrontier)
        maxDepth = Swift.max(maxDepth, other.maxDepth)
        learnedDecisions += other.learnedDecisions
        learnedFallbacks += other.learnedFallbacks
        fineTuningSteps += other.fineTuningSteps
        learnedInferenceSeconds += other.learnedInferenceSeconds
        differenceChecks += other.differenceChecks
        differenceRefutations += other.differenceRefutations
        skippedRefinements += other.skippedRefinements
        closedShare = Swift.max(closedShare, other.closedShare)
    }
}

/// A verdict with the statistics of the run that produced it.
public struct VerificationResult: Sendable {
    /// The verdict.
    public var verdict: Verdict
    /// How much work it took.
    public var statistics: VerificationStatistics
    /// The search tree, when ``VerificationOptions/recordsTrace`` was set.
    public var trace: SearchTrace?

    /// A result from its parts.
    public init(verdict: Verdict, statistics: VerificationStatistics, trace: SearchTrace? = nil) {
        self.verdict = verdict
        self.statistics = statistics
        self.trace = trace
    }

    /// The share of the search space closed, for a search that ran and ended undecided (what a report shows
    /// after a timeout or unknown); nil when the verdict is decided or no node was processed.
    public var undecidedClosedShare: Double? {
        statistics.nodes > 0 && !verdict.isDecided ? statistics.closedShare : nil
    }
}
