/// The branching heuristic a search uses, as the command line names it (`--branching NAME[:PARAMETER]`): a
/// built-in heuristic, or one that needs a parameter — a learned heuristic's model file.
public struct BranchingChoice: Sendable, Hashable, CustomStringConvertible {
    /// The heuristics nncert knows.
    public enum Kind: String, Sendable, CaseIterable {
        /// ``BaBSR``: the bound-improvement estimate from back-substituted coefficients. The default.
        case babsr
        /// ``FSB``: BaBSR's top candidates re-scored by actual child bounds.
        case fsb
        /// ``WidestInterval``: the unstable neuron with the widest pre-activation interval (a simple baseline).
        case widest
        /// ``StrongBranching``: both children of every candidate bounded with the node's own bounding (the expert
        /// a learned heuristic imitates; slow). `strong:K` evaluates only BaBSR's best K candidates.
        case strong
        /// A learned heuristic: `learned:MODEL`, with the model file as the parameter.
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
    /// Widest interval.
    public static let widest = BranchingChoice(kind: .widest)
    /// Strong branching over every candidate.
    public static let strong = BranchingChoice(kind: .strong)
    /// The heuristics that need no parameter.
    public static let builtIn: [BranchingChoice] = [.babsr, .fsb, .widest, .strong]

    /// Parses `NAME` or `NAME:PARAMETER` (`learned` requires its parameter, `strong` takes an optional positive
    /// candidate count, the others take none).
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, let kind = Kind(rawValue: name) else { return nil }
        let parameter = parts.count == 2 ? parts[1] : nil
        switch kind {
        case .learned: guard let p = parameter, !p.isEmpty else { return nil }
        case .strong: guard parameter.map({ (Int($0) ?? 0) > 0 }) ?? true else { return nil }
        default: guard parameter == nil else { return nil }
        }
        self.init(kind: kind, parameter: parameter)
    }

    /// `NAME` or `NAME:PARAMETER`, as parsed by ``init(argument:)``.
    public var description: String { parameter.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue }

    /// A heuristic instance.
    /// - Throws: ``BranchingError/modelUnavailable(_:)`` for a learned heuristic: no model format is implemented
    ///   yet, so no model file can be loaded.
    public func makeHeuristic() throws(BranchingError) -> any BranchingHeuristic {
        switch kind {
        case .babsr: return BaBSR()
        case .fsb: return FSB()
        case .widest: return WidestInterval()
        case .strong: return StrongBranching(candidateLimit: parameter.flatMap { Int($0) })
        case .learned: throw .modelUnavailable(parameter ?? "")
        }
    }
}

/// Why a branching heuristic cannot be set up.
public enum BranchingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A learned heuristic's model could not be loaded (no learned heuristic is built yet).
    case modelUnavailable(String)

    /// One line.
    public var description: String {
        switch self {
        case .modelUnavailable(let path):
            "\(path): learned branching models are not supported yet (use babsr, fsb or widest)"
        }
    }
}
