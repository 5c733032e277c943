import ArgumentParser
import Bounds
import Branching
import Verifier

/// The command-line face of ``VerificationOptions``: every option is optional and only overrides the library's
/// default when given, so the defaults live in one place (the option groups' `init`s) and the help shows them.
struct SearchArguments: ParsableArguments {
    @Option(help: "Time limit in seconds, decimals allowed (default: \(VerificationOptions().timeout)).")
    var timeout: Double?

    @Option(help: "What to split: \(SplitMode.allCases.map(\.rawValue).joined(separator: ", ")) (default: \(SearchOptions().mode.rawValue)).")
    var mode: SplitMode?

    @Option(help: "ReLU branching heuristic: \(BranchingChoice.builtIn.map(\.description).joined(separator: ", ")), fsb:better (FSB ranking by the better child), strong:K (BaBSR's best K only), or gnn:MODEL for a GNN model file (docs/architecture.md, 'The learned GNN heuristic') (default: \(SearchOptions().branching)).")
    var branching: BranchingChoice?

    @Option(name: .customLong("branching-model"),
            help: ArgumentHelp("A GNN model file for --branching gnn (implied when --branching is not given); the same as --branching gnn:FILE.",
                               valueName: "file"))
    var branchingModel: String?

    @Option(help: "A second ReLU heuristic that searches beside the first once --portfolio-after of the time limit has passed undecided (half the workers each; the first verdict wins): auto (kfsb beside babsr on networks without convolutions), none, or a heuristic as --branching names it (default: \(SearchOptions().portfolio)).")
    var portfolio: PortfolioChoice?

    @Option(name: .customLong("portfolio-after"),
            help: ArgumentHelp("Share of the time limit after which the --portfolio heuristic starts (default: \(SearchOptions().portfolioShare)).", valueName: "share"))
    var portfolioAfter: Double?

    @Option(name: .customLong("final-bounds"),
            help: "Bound method for each node's final objective: \(BoundMethod.allCases.map(\.rawValue).joined(separator: ", ")) (default: \(SearchOptions().finalBoundMethod.rawValue)).")
    var finalBounds: BoundMethod?

    @Option(name: .customLong("root-bounds"),
            help: "Intermediate bounds of a ReLU-split search's root, inherited by every node: crown, or alpha-crown to optimise the slopes per neuron (default: \(SearchOptions().rootIntermediateMethod.rawValue)).")
    var rootBounds: BoundMethod?

    @Option(name: .customLong("node-bounds"),
            help: "Intermediate bounds of a ReLU-split search's other nodes after the split layer: crown recomputes them, interval keeps the parent's (clamped by the split) (default: interval on networks with convolutions, crown on the others).")
    var nodeBounds: BoundMethod?

    @Option(help: "Worker threads (default: \(SearchOptions().workers)).")
    var workers: Int?

    @Option(name: .customLong("batch"),
            help: "Nodes a worker of a ReLU-split search bounds together (default: as many as fit 64 MiB of bound coefficients, at most \(SearchOptions.automaticBatchRange.upperBound)).")
    var batch: Int?

    @Option(help: "Seed for sampling and attacks (default: \(SearchOptions().seed)).")
    var seed: UInt64?

    @Option(name: .customLong("input-split"),
            help: "Input-split dimension scores: \(InputSplitRule.allCases.map(\.rawValue).joined(separator: ", ")) (default: \(InputSplitOptions().rule.rawValue)).")
    var inputSplitRule: InputSplitRule?

    @Option(name: .customLong("lp-tightening"),
            help: "Share of the time the root may spend tightening intermediate bounds by LP, ReLU splitting; 0: off (default: \(LPOptions().tighteningShare)).")
    var lpTightening: Double?

    @Option(name: .customLong("lp-unstable-limit"),
            help: "ReLU splitting: solve a node's LP when it has at most this many unstable neurons (always at leaves, where every ReLU is decided) (default: \(LPOptions().unstableLimit)).")
    var lpUnstableLimit: Int?

    @Flag(name: .customLong("no-gnn-fail-safe"),
          help: "--branching gnn: always take the GNN's choice (by default BaBSR's is taken where the GNN's children improve the bound by less than a fifth of BaBSR's).")
    var noGNNFailSafe = false

    @Flag(name: .customLong("no-online-tuning"),
          help: "--branching gnn: do not fine-tune the model during the run on the comparisons it lost to BaBSR.")
    var noOnlineTuning = false

    @Flag(name: .customLong("no-warm-start"),
          help: "Start every node's alpha-beta-CROWN optimisation from CROWN's slopes, not from its parent's optimised slopes and split multipliers.")
    var noWarmStart = false

    @Flag(name: .customLong("no-lp"), help: "Do not use GLPK LP relaxations.")
    var noLP = false

    @Flag(name: .customLong("no-differential-screen"),
          help: "Multi-network queries: bound the product network only, without also trying bounds on g − f at each node.")
    var noDifferentialScreen = false

    func validate() throws {
        if let timeout { guard timeout > 0, !timeout.isNaN else { throw ValidationError("--timeout must be a positive number of seconds") } }
        if let workers { guard workers >= 1 else { throw ValidationError("--workers must be at least 1") } }
        if let batch { guard batch >= 1 else { throw ValidationError("--batch must be at least 1") } }
        if let rootBounds { guard rootBounds != .interval else { throw ValidationError("--root-bounds must be crown or alpha-crown") } }
        if let nodeBounds { guard nodeBounds != .alphaCrown else { throw ValidationError("--node-bounds must be crown or interval") } }
        if let lpTightening { guard (0...1).contains(lpTightening) else { throw ValidationError("--lp-tightening must be in [0, 1]") } }
        if let portfolioAfter { guard (0...1).contains(portfolioAfter) else { throw ValidationError("--portfolio-after must be in [0, 1]") } }
        if let lpUnstableLimit { guard lpUnstableLimit >= 0 else { throw ValidationError("--lp-unstable-limit must be at least 0") } }
        if let branchingModel {
            guard !branchingModel.isEmpty else { throw ValidationError("--branching-model needs a file") }
            if let branching, branching != .gnn {
                throw ValidationError("--branching-model goes with --branching gnn, not --branching \(branching)")
            }
        }
    }

    /// The library's defaults with the given options applied.
    var options: VerificationOptions {
        var o = VerificationOptions()
        if let timeout { o.timeout = timeout }
        if let mode { o.search.mode = mode }
        if let branching { o.search.branching = branching }
        if let branchingModel { o.search.branching = BranchingChoice(kind: .gnn, parameter: branchingModel) }
        if let portfolio { o.search.portfolio = portfolio }
        if let portfolioAfter { o.search.portfolioShare = portfolioAfter }
        if let finalBounds { o.search.finalBoundMethod = finalBounds }
        if let rootBounds { o.search.rootIntermediateMethod = rootBounds }
        if let nodeBounds { o.search.nodeIntermediateMethod = nodeBounds }
        if let workers { o.search.workers = workers }
        if let batch { o.search.batchSize = batch }
        if let seed { o.search.seed = seed }
        if let inputSplitRule { o.inputSplit.rule = inputSplitRule }
        if let lpTightening { o.lp.tighteningShare = lpTightening }
        if let lpUnstableLimit { o.lp.unstableLimit = lpUnstableLimit }
        if noLP { o.lp.enabled = false }
        if noWarmStart { o.search.warmStartsSlopes = false }
        if noGNNFailSafe { o.search.learned.failSafe = false }
        if noOnlineTuning { o.search.learned.onlineTuning = false }
        if noDifferentialScreen { o.differentialScreen = false }
        return o
    }
}

extension SplitMode: ExpressibleByArgument {}
extension BranchingChoice: ExpressibleByArgument {}
extension PortfolioChoice: ExpressibleByArgument {}
extension InputSplitRule: ExpressibleByArgument {}
