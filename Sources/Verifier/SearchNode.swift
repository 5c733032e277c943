import Bounds
import Tensor

/// A subproblem of branch and bound: part of one case's input box under a set of ReLU split decisions, with
/// the output regions not yet refuted there.
struct SearchNode: Sendable {
    /// Which case (input box) of the problem.
    var caseIndex: Int
    /// The node's input box (a sub-box of the case's box after input splits).
    var box: Box
    /// ReLU phase decisions on the path to this node.
    var splits: SplitSet
    /// Indices of the case's output regions still to refute here.
    var openRegions: [Int]
    /// The parent's intermediate bounds, reused for layers before ``recomputeFrom``.
    var parentBounds: IntermediateBounds?
    /// First layer whose bounds the last split changed (nil: recompute everything).
    var recomputeFrom: Int?
    /// The parent's worst refutation margin: the lower, the further from proven.
    var priority: Double
    /// Number of splits on the path.
    var depth: Int
    /// Number of input bisections on the path.
    var inputSplitDepth: Int
}

/// A frontier entry ordered by priority (ties broken by creation order, so the search is deterministic with
/// one worker).
struct FrontierEntry: Comparable, Sendable {
    var node: SearchNode
    var sequence: Int

    static func < (a: FrontierEntry, b: FrontierEntry) -> Bool {
        (a.node.priority, a.sequence) < (b.node.priority, b.sequence)
    }

    static func == (a: FrontierEntry, b: FrontierEntry) -> Bool {
        a.node.priority == b.node.priority && a.sequence == b.sequence
    }
}

/// What processing a node produced.
enum NodeOutcome: Sendable {
    /// Every open region is refuted on the node.
    case refuted
    /// A confirmed counterexample.
    case counterexample(Counterexample)
    /// Subproblems to explore.
    case branch([SearchNode])
    /// The node cannot be decided (numerical trouble, LP failure): the run ends `unknown` unless a
    /// counterexample turns up elsewhere.
    case undecidable(String)
}
