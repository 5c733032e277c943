public import Bounds
public import Branching
public import Network

/// Settings of a verification run, in groups: the search, input splitting, the LP relaxation and falsification.
/// Every field has a default suited to VNN-COMP-style instances and can be set in `init`.
///
/// ```swift
/// let options = VerificationOptions(timeout: 30, search: SearchOptions(mode: .reluSplit, workers: 1))
/// ```
public struct VerificationOptions: Sendable {
    /// Wall-clock limit in seconds (capped at ``Verifier/maximumTimeout``); the verdict is ``Verdict/timeout``
    /// when it runs out. Default 60.
    public var timeout: Double
    /// The branch-and-bound search.
    public var search: SearchOptions
    /// Input bisection (low-dimensional inputs).
    public var inputSplit: InputSplitOptions
    /// The GLPK LP relaxation.
    public var lp: LPOptions
    /// Falsification.
    public var attack: AttackOptions
    /// Called about twice a second with the progress of a running search (from a worker thread).
    public var progress: (@Sendable (VerificationProgress) -> Void)?
    /// Check every node of an equivalence query between two networks of one structure against certified bounds on
    /// their difference as well as the product network's own (``MultiNetworkProblem``). Default true; false
    /// bounds the product network only.
    public var differentialScreen = true

    /// Settings from their groups (each defaults to its own defaults).
    public init(
        timeout: Double = 60, search: SearchOptions = SearchOptions(), inputSplit: InputSplitOptions = InputSplitOptions(),
        lp: LPOptions = LPOptions(), attack: AttackOptions = AttackOptions(),
        progress: (@Sendable (VerificationProgress) -> Void)? = nil
    ) {
        self.timeout = timeout
        self.search = search
        self.inputSplit = inputSplit
        self.lp = lp
        self.attack = attack
        self.progress = progress
    }

    /// The branching policy these options describe for `network` (input splits in `auto` mode when the input
    /// is low-dimensional, ``isLowDimensional(_:)``).
    /// - Throws: ``Branching/BranchingError`` when the heuristic cannot be set up (a learned model).
    public func branchingPolicy(for network: Network) throws(BranchingError) -> BranchingPolicy {
        let inputSplits: Bool
        switch search.mode {
        case .inputSplit: inputSplits = true
        case .reluSplit: inputSplits = false
        case .auto: inputSplits = isLowDimensional(network)
        }
        let heuristic = if let custom = search.customHeuristic { custom } else {
            try search.branching.makeHeuristic(learned: search.learned)
        }
        return BranchingPolicy(
            usesInputSplits: inputSplits, heuristic: heuristic,
            finalBoundMethod: search.finalBoundMethod, inputSplitRule: inputSplit.rule,
            inputSplitBalance: inputSplit.balance, maxInputSplitDepth: inputSplit.maxDepth,
            inputSplitHandover: inputSplit.handover)
    }

    /// True when `network`'s input has at most ``InputSplitOptions/dimensionLimit`` dimensions: `auto` mode bisects
    /// its inputs, and root falsification samples it ``AttackOptions/lowDimensionalSampleFactor`` times as densely.
    public func isLowDimensional(_ network: Network) -> Bool { network.inputCount <= inputSplit.dimensionLimit }
}

/// How branch and bound searches.
public struct SearchOptions: Sendable {
    /// What to split. Default ``SplitMode/auto``.
    public var mode: SplitMode
    /// How to choose the ReLU to split. Default BaBSR.
    public var branching: BranchingChoice
    /// Bound method for the final objective at each node. Default ``BoundMethod/alphaCrown``.
    public var finalBoundMethod: BoundMethod
    /// Bound method for the intermediate bounds of a ReLU-split search's root, which every node inherits (other
    /// nodes recompute theirs by CROWN and intersect): ``BoundMethod/alphaCrown`` optimises the slopes per neuron
    /// bound, and is used only when the root stays open after CROWN. Default ``BoundMethod/alphaCrown``
    /// (docs/benchmarks.md, "Optimised intermediate bounds at the root").
    public var rootIntermediateMethod: BoundMethod
    /// Bound method for the intermediate bounds of every other node of a ReLU-split search after its split layer
    /// (intersected with the parent's): ``BoundMethod/crown`` back-substitutes them again (tighter children,
    /// costlier nodes); ``BoundMethod/interval`` keeps the parent's bounds, clamped by the new split and
    /// intersected with interval propagation (alpha-beta-CROWN's fixed intermediate bounds: the split then
    /// tightens the final bound through its beta-CROWN multiplier). Nil (the default) chooses per network
    /// (``intermediateMethod(forNodesOf:)``).
    public var nodeIntermediateMethod: BoundMethod?

    /// The method for the intermediate bounds of a ReLU-split search's nodes below the root on `network`:
    /// ``nodeIntermediateMethod`` when set; otherwise interval (fixed bounds) on a network with convolutions and
    /// CROWN on the others. Measured (docs/benchmarks.md, "Fixed intermediate bounds below the root"): on
    /// cifar_base_kw the recomputed bounds barely change the search (1,609 against 1,613 nodes on img2578) and
    /// cost half of each node, while on the MNIST-FC MLPs they decide instances that fixed bounds do not.
    public func intermediateMethod(forNodesOf network: Network) -> BoundMethod {
        if let nodeIntermediateMethod { return nodeIntermediateMethod }
        return network.hasConvolutions ? .interval : .crown
    }

    /// Whether ReLU-split searches on `network` run a second heuristic beside ``branching`` (a portfolio), and
    /// which: ``portfolio``'s, unless it is `branching` itself or a ``customHeuristic`` is set;
    /// ``PortfolioChoice/automatic`` gives ``PortfolioChoice/automaticSecond`` when `branching` is BaBSR and
    /// `network` has no convolutions, and none otherwise.
    public func portfolioBranching(for network: Network) -> BranchingChoice? {
        guard customHeuristic == nil else { return nil }
        let second: BranchingChoice? = switch portfolio {
        case .off: nil
        case .second(let choice): choice
        case .automatic: branching == .babsr && !network.hasConvolutions ? PortfolioChoice.automaticSecond : nil
        }
        return second == branching ? nil : second
    }

    /// A second branching heuristic for ReLU-split searches that stay open (``portfolioBranching(for:)``). Default
    /// ``PortfolioChoice/automatic``.
    public var portfolio = PortfolioChoice.automatic
    /// The share of the time limit after which an undecided ReLU-split search hands half of its workers (at
    /// least two) to the portfolio's second heuristic, which searches from the roots; the first verdict of the two
    /// wins. Default 0.1: searches decided sooner are unchanged.
    public var portfolioShare = 0.1
    /// Start each ReLU-split child's alpha-beta-CROWN optimisation from the slopes and split multipliers its
    /// parent's bound ended with (alpha-beta-CROWN's warm start), instead of from CROWN's slopes and `β = 0`.
    /// Default true (docs/benchmarks.md, "Warm-started slopes").
    public var warmStartsSlopes = true
    /// Nodes a worker of a ReLU-split search takes from the frontier at once and bounds together (their
    /// intermediate and objective bounds as batches, ``BoundPropagator/intermediateBounds(of:method:intermediateOptions:)``
    /// and ``BoundPropagator/lowerBounds(of:options:)``); input bisection takes one. Nil (the default): as many as
    /// fit ``BoundOptions/slopeMemoryBudget`` by ``BoundPropagator/batchCapacity(rowsPerProblem:budget:)`` for the
    /// property's objective rows, clamped to ``automaticBatchRange`` (docs/benchmarks.md, "Batch size").
    public var batchSize: Int?
    /// The range an automatic ``batchSize`` is clamped to. Its upper end is 8: on the 2-core machine larger
    /// batches did not pay (cifar_base_kw img3568: 35–37 s at 8, 38–42 s at 16 to 64, the same nodes), while
    /// memory grows with the batch; the budget lowers it on networks too wide for 8 nodes' coefficients.
    public static let automaticBatchRange = 1...8
    /// Worker threads (each owns its own GLPK problems). Default 2, the machine's core count.
    public var workers: Int
    /// Frontier size at which the search starts closing its most promising nodes first; at twice this size the
    /// run stops with ``Verdict/unknown(reason:)``. Default 500,000.
    public var maxFrontier: Int
    /// Seed for sampling and attacks. Default 0.
    public var seed: UInt64
    /// Record the search tree (``VerificationResult/trace``). Default false.
    public var recordsTrace: Bool
    /// Settings of the learned heuristic (`gnn`): fail-safe and online fine-tuning, both on by default.
    public var learned = LearnedBranchingOptions()
    /// A heuristic instance that replaces ``branching`` (for tools that wrap a heuristic, such as
    /// `nncert branching collect`'s recording of strong branching). Default nil.
    public var customHeuristic: (any BranchingHeuristic)?

    /// Search settings.
    public init(
        mode: SplitMode = .auto, branching: BranchingChoice = .babsr, finalBoundMethod: BoundMethod = .alphaCrown,
        rootIntermediateMethod: BoundMethod = .alphaCrown, workers: Int = 2, maxFrontier: Int = 500_000, seed: UInt64 = 0,
        recordsTrace: Bool = false
    ) {
        self.mode = mode
        self.branching = branching
        self.finalBoundMethod = finalBoundMethod
        self.rootIntermediateMethod = rootIntermediateMethod
        self.workers = workers
        self.maxFrontier = maxFrontier
        self.seed = seed
        self.recordsTrace = recordsTrace
    }
}

/// How input bisection runs (in `auto` mode for low-dimensional inputs, always in `input-split` mode).
public struct InputSplitOptions: Sendable {
    /// `auto` mode bisects inputs of at most this many dimensions. Default 12.
    public var dimensionLimit: Int
    /// A box bisected this many times continues with ReLU splits (completeness). Default 60.
    public var maxDepth: Int
    /// A node with at most this many unstable neurons continues with ReLU splits and LPs, which close small
    /// subproblems faster than further bisection. Default 16 (five hard ACAS Xu instances, 60 s cap, total:
    /// 0 → 90 s, 8 → 96 s, 16 → 69 s, 24 → 71 s, 48 → 116 s).
    public var handover: Int
    /// How bisection dimensions are scored. Default ``InputSplitRule/gradient``.
    public var rule: InputSplitRule
    /// A dimension relatively (to the property's box) more than this factor wider than the scored choice is
    /// bisected instead (``InputSmear/balance``); nil: the rule's ``InputSplitRule/defaultBalance``.
    public var balance: Double?

    /// Input-split settings.
    public init(
        dimensionLimit: Int = 12, maxDepth: Int = 60, handover: Int = 16, rule: InputSplitRule = .gradient,
        balance: Double? = nil
    ) {
        self.dimensionLimit = dimensionLimit
        self.maxDepth = maxDepth
        self.handover = handover
        self.rule = rule
        self.balance = balance
    }
}

/// When the GLPK triangle LP relaxation runs.
public struct LPOptions: Sendable {
    /// Use LP relaxations (warm-started) for nodes bound propagation cannot decide. Default true.
    public var enabled: Bool
    /// In ReLU-split mode, solve the node's LP when it has at most this many unstable neurons (always at
    /// leaves, where every ReLU is decided and bound propagation is exact but for the box). Default 0: LPs at
    /// leaves only. Above a leaf, alpha-beta-CROWN bounds the same relaxation and the LP rarely closes what it
    /// left open (ACAS Xu 3_3 prop_2: 56 of 1,750 inner LPs refuted, each ~7 ms); 48 made ACAS Xu's 186
    /// instances 1.2× slower in total and MNIST-FC 256x2 1.04× (docs/benchmarks.md).
    public var unstableLimit: Int
    /// In ReLU-split mode, the share of the time left that the root may spend tightening intermediate
    /// pre-activation bounds by LP (two LPs per unstable neuron, layer by layer, from the second ReLU layer on).
    /// Default 0 (off): on MNIST-FC each such LP takes about 0.2 s (784 inputs, dense first layer), so a 20%
    /// share tightens only about 30 neurons and did not pay on the instances measured (docs/benchmarks.md).
    public var tighteningShare: Double

    /// LP settings.
    public init(enabled: Bool = true, unstableLimit: Int = 0, tighteningShare: Double = 0) {
        self.enabled = enabled
        self.unstableLimit = unstableLimit
        self.tighteningShare = tighteningShare
    }
}

/// A snapshot of a running search, for progress displays.
public struct VerificationProgress: Sendable {
    /// Nodes processed so far.
    public var nodes: Int
    /// Nodes waiting in the frontier.
    public var frontier: Int
    /// The smallest refutation margin among waiting nodes (the search is done when every margin is positive).
    public var worstMargin: Double
    /// Seconds since the start.
    public var elapsed: Double
    /// The share of the search space closed so far, from 0 to 1: a closed node counts for one over the number of
    /// roots halved at each split on its path. A rough measure of progress (the search takes the nodes furthest
    /// from proven first, so it tends to rise late), not a promise of the time left.
    public var closedShare: Double = 0
    /// Of ``nodes``, those of a portfolio's second search (``PortfolioChoice``); 0 while it has not started.
    public var secondSearchNodes: Int = 0
}
