public import Bounds
public import Branching
public import Network

/// Settings of a verification run. Every field has a default suited to VNN-COMP-style instances.
public struct VerificationOptions: Sendable {
    /// Wall-clock limit in seconds; the verdict is ``Verdict/timeout`` when it runs out. Default 60.
    public var timeout: Double
    /// What to split. Default ``SplitMode/auto``.
    public var mode: SplitMode
    /// How to choose the ReLU to split. Default BaBSR.
    public var branching: BranchingChoice
    /// Bound method for the final objective at each node (intermediate bounds always use CROWN).
    /// Default ``BoundMethod/alphaCrown``.
    public var finalBoundMethod: BoundMethod
    /// Worker threads (each owns its own GLPK problems). Default 2, the machine's core count.
    public var workers: Int
    /// Frontier size at which the search starts closing its most promising nodes first; at twice this size the
    /// run stops with ``Verdict/unknown(reason:)``. Default 500,000.
    public var maxFrontier: Int
    /// Seed for sampling and attacks. Default 0.
    public var seed: UInt64
    /// Falsification settings.
    public var attack: AttackOptions
    /// Use GLPK LP relaxations (triangle relaxation, warm-started) for nodes bound propagation cannot decide.
    /// Default true.
    public var useLinearProgramming: Bool
    /// In ReLU-split mode, solve the node's LP when it has at most this many unstable neurons. Default 48.
    public var lpUnstableLimit: Int
    /// `auto` mode uses input splitting when the input has at most this many dimensions. Default 12.
    public var inputSplitDimensionLimit: Int
    /// In input-split mode, a box bisected this many times continues with ReLU splits. Default 60.
    public var maxInputSplitDepth: Int
    /// In input-split mode, a node with at most this many unstable neurons continues with ReLU splits and LPs,
    /// which close small subproblems faster than further bisection. Default 16 (five hard ACAS Xu instances,
    /// 60 s cap, total: 0 → 90 s, 8 → 96 s, 16 → 69 s, 24 → 71 s, 48 → 116 s).
    public var inputSplitHandover: Int
    /// In input-split mode, how bisection dimensions are scored. Default ``InputSplitRule/gradient``.
    public var inputSplitRule: InputSplitRule = .gradient
    /// In input-split mode, a dimension relatively (to the property's box) more than this factor wider than the
    /// scored choice is bisected instead (``Branching/InputSmear/balance``); `nil`: the rule's
    /// ``InputSplitRule/defaultBalance``.
    public var inputSplitBalance: Double?
    /// In ReLU-split mode, the share of the time left that the root node may spend tightening intermediate
    /// pre-activation bounds by LP (two LPs per unstable neuron, layer by layer, from the second ReLU layer on).
    /// Default 0 (off): on MNIST-FC each such LP takes about 0.2 s (784 inputs, dense first layer), so a 20%
    /// share tightens only about 30 neurons and did not pay on the instances measured (docs/benchmarks.md).
    public var lpTighteningShare: Double = 0
    /// Record the search tree (``VerificationResult/trace``). Default false.
    public var recordsTrace = false
    /// Called about twice a second with the progress of a running search (from a worker thread).
    public var progress: (@Sendable (VerificationProgress) -> Void)?

    /// Default settings.
    public init(
        timeout: Double = 60, mode: SplitMode = .auto, branching: BranchingChoice = .babsr,
        finalBoundMethod: BoundMethod = .alphaCrown, workers: Int = 2, maxFrontier: Int = 500_000, seed: UInt64 = 0,
        attack: AttackOptions = AttackOptions(), useLinearProgramming: Bool = true, lpUnstableLimit: Int = 48,
        inputSplitDimensionLimit: Int = 12, maxInputSplitDepth: Int = 60, inputSplitHandover: Int = 16,
        progress: (@Sendable (VerificationProgress) -> Void)? = nil
    ) {
        self.timeout = timeout
        self.mode = mode
        self.branching = branching
        self.finalBoundMethod = finalBoundMethod
        self.workers = workers
        self.maxFrontier = maxFrontier
        self.seed = seed
        self.attack = attack
        self.useLinearProgramming = useLinearProgramming
        self.lpUnstableLimit = lpUnstableLimit
        self.inputSplitDimensionLimit = inputSplitDimensionLimit
        self.maxInputSplitDepth = maxInputSplitDepth
        self.inputSplitHandover = inputSplitHandover
        self.progress = progress
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
}

extension VerificationOptions {
    /// The branching policy these options describe for `network` (input splits in `auto` mode when the input
    /// has at most ``inputSplitDimensionLimit`` dimensions).
    public func branchingPolicy(for network: Network) -> BranchingPolicy {
        let inputSplits: Bool
        switch mode {
        case .inputSplit: inputSplits = true
        case .reluSplit: inputSplits = false
        case .auto: inputSplits = isLowDimensional(network)
        }
        return BranchingPolicy(
            usesInputSplits: inputSplits, heuristic: branching.makeHeuristic(), finalBoundMethod: finalBoundMethod,
            inputSplitRule: inputSplitRule, inputSplitBalance: inputSplitBalance,
            maxInputSplitDepth: maxInputSplitDepth, inputSplitHandover: inputSplitHandover)
    }

    /// True when `network`'s input has at most ``inputSplitDimensionLimit`` dimensions: `auto` mode bisects its
    /// inputs, and root falsification samples it 16 times as densely.
    public func isLowDimensional(_ network: Network) -> Bool { network.inputCount <= inputSplitDimensionLimit }
}
