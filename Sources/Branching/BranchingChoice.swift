/// The branching heuristic a search uses, as the command line names it (`--branching NAME[:PARAMETER]`): a
/// built-in heuristic, or one that needs a parameter — a learned heuristic's model file.
public struct BranchingChoice: Sendable, Hashable, CustomStringConvertible {
    /// The heuristics nncert knows.
    public enum Kind: String, Sendable, CaseIterable {
        /// ``BaBSR``: the bound-improvement estimate from back-substituted coefficients. The default.
        case babsr
        /// ``FSB``: BaBSR's top candidates re-scored by actual child bounds; `fsb:better` ranks them by the better
        /// child (``FSB/ChildReduction``), `fsb` and `fsb:worse` by the worse.
        case fsb
        /// ``FSB/layerwise``: alpha-beta-CROWN's k-FSB (per layer, two scores, better child, clamped bounds).
        case kfsb
        /// ``WidestInterval``: the unstable neuron with the widest pre-activation interval (a simple baseline).
        case widest
        /// ``StrongBranching``: both children of every candidate bounded with the node's own bounding (the expert
        /// a learned heuristic imitates; slow). `strong:K` evaluates only BaBSR's best K candidates.
        case strong
        /// ``GNNBranching``: the learned GNN (the bundled model, or `gnn:MODEL` for a model file).
        case gnn
        /// The old name of `gnn:MODEL` (the model file is required).
        case learned
    }

    /// Which heuristic.
    public var kind: Kind
    /// Its parameter: the model file of a learned heuristic; nil for the built-in ones.
    public var parameter: String?

    /// A choice from its parts.
    public init(kind: Kind, parameter: String? = nil) {
        self.kind = kind
        self.parameter = parameter
    }

    /// BaBSR.
    public static let babsr = BranchingChoice(kind: .babsr)
    /// FSB.
    public static let fsb = BranchingChoice(kind: .fsb)
    /// alpha-beta-CROWN's k-FSB.
    public static let kfsb = BranchingChoice(kind: .kfsb)
    /// Widest interval.
    public static let widest = BranchingChoice(kind: .widest)
    /// Strong branching over every candidate.
    public static let strong = BranchingChoice(kind: .strong)
    /// The GNN with the bundled model.
    public static let gnn = BranchingChoice(kind: .gnn)
    /// The heuristics that need no parameter.
    public static let builtIn: [BranchingChoice] = [.babsr, .fsb, .kfsb, .widest, .strong, .gnn]

    /// Parses `NAME` or `NAME:PARAMETER` (`learned` requires its model file, `gnn` takes an optional one,
    /// `strong` takes an optional positive candidate count, `fsb` an optional child reduction, `better` or `worse`;
    /// the others take none).
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, let kind = Kind(rawValue: name) else { return nil }
        let parameter = parts.count == 2 ? parts[1] : nil
        switch kind {
        case .learned: guard let p = parameter, !p.isEmpty else { return nil }
        case .gnn: guard parameter.map({ !$0.isEmpty }) ?? true else { return nil }
        case .strong: guard parameter.map({ (Int($0) ?? 0) > 0 }) ?? true else { return nil }
        case .fsb: guard parameter.map({ FSB.ChildReduction(rawValue: $0) != nil }) ?? true else { return nil }
        default: guard parameter == nil else { return nil }
        }
        self.init(kind: kind, parameter: parameter)
    }

    /// `NAME` or `NAME:PARAMETER`, as parsed by ``init(argument:)``.
    public var description: String { parameter.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue }

    /// A heuristic instance. `learned` settings apply to the GNN (``GNNBranching``): its BaBSR fail-safe and its
    /// online fine-tuning.
    /// - Throws: ``BranchingError/badModel(path:problem:)`` when the GNN's model file cannot be read, is corrupt,
    ///   of another format version or of another feature set.
    public func makeHeuristic(learned: LearnedBranchingOptions = LearnedBranchingOptions())
        throws(BranchingError) -> any BranchingHeuristic
    {
        switch kind {
        case .babsr: return BaBSR()
        case .fsb: return FSB(reduction: parameter.flatMap(FSB.ChildReduction.init(rawValue:)) ?? .worse)
        case .kfsb: return FSB.layerwise
        case .widest: return WidestInterval()
        case .strong: return StrongBranching(candidateLimit: parameter.flatMap { Int($0) })
        case .gnn, .learned:
            let model = if let parameter { try GNNModelFile.load(path: parameter) } else { try GNNModelFile.bundled() }
            return GNNBranching(model: model, failSafe: learned.failSafe, onlineTuning: learned.onlineTuning)
        }
    }
}

/// Settings of the learned heuristic (``GNNBranching``).
public struct LearnedBranchingOptions: Sendable, Hashable {
    /// Fall back to BaBSR where the GNN's choice gains less than a fifth of BaBSR's. Default true.
    public var failSafe: Bool
    /// Fine-tune the model during the run on the comparisons it lost. Default true.
    public var onlineTuning: Bool

    /// Settings (both on by default).
    public init(failSafe: Bool = true, onlineTuning: Bool = true) {
        self.failSafe = failSafe
        self.onlineTuning = onlineTuning
    }
}

/// Why a branching heuristic, its model or its training data cannot be set up.
public enum BranchingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A GNN model file that cannot be read, is corrupt or truncated, of another format version, or trained on
    /// another feature set.
    case badModel(path: String, problem: String)
    /// A training data file that cannot be read or parsed (`line` 0: the file as a whole).
    case badData(path: String, line: Int, problem: String)

    /// One line.
    public var description: String {
        switch self {
        case .badModel(let path, let problem): "\(path): GNN model: \(problem)"
        case .badData(let path, let line, let problem): line > 0 ? "\(path):\(line): \(problem)" : "\(path): \(problem)"
        }
    }
}
