public import Bounds
public import Tensor

/// The search tree of a branch-and-bound run as data: every node with its id, parent, the decision that created
/// it, its bound before and after, and how it ended. `nncert verify --trace FILE` writes it as JSON lines
/// (``SearchTrace/jsonLines()``, schema in docs/architecture.md); ``SearchTrace/leaves`` feed
/// ``Verifier/verify(_:startingFrom:)``.
public struct SearchTrace: Sendable {
    /// How a node ended.
    public enum Ending: String, Sendable, Codable {
        /// Every open region refuted by bound propagation.
        case refutedByBound = "refuted-bound"
        /// The remaining regions refuted by certified LPs.
        case refutedByLP = "refuted-lp"
        /// The node's splits are infeasible (no input satisfies them).
        case infeasible
        /// Split into children.
        case split
        /// A confirmed counterexample.
        case counterexample
        /// Could not be decided (numerical trouble, LP failure).
        case undecidable
        /// Still in the frontier when the run ended (timeout, counterexample elsewhere).
        case open
    }

    /// One node.
    public struct Node: Sendable, Codable, Hashable {
        /// Unique within the run.
        public var id: Int
        /// The parent's id (nil for a root).
        public var parent: Int?
        /// The case (input box) of the problem.
        public var caseIndex: Int
        /// `{"bisect": d}` or `{"relu": [layer, neuron], "active": true|false}`; nil for a root.
        public var decision: Decision?
        /// The parent's worst margin (nil for a root).
        public var boundBefore: Double?
        /// The node's worst margin after bounding (nil when infeasible or not processed; +∞ is written as 1e308).
        public var boundAfter: Double?
        /// How it ended.
        public var ending: Ending
        /// For a leaf: its box when it differs from the case's (nil: the case's box).
        public var box: Box?
        /// For a leaf: its split decisions.
        public var splits: [ReLUSplit]?
    }

    /// The decision that created a node.
    public struct Decision: Sendable, Codable, Hashable {
        /// The bisected input dimension.
        public var bisect: Int?
        /// The split neuron, `[layer, neuron]`.
        public var relu: [Int]?
        /// The phase of this child for a ReLU split.
        public var active: Bool?
    }

    /// The schema version written in the first line.
    public static let version = 1
    /// The nodes in the order they ended.
    public var nodes: [Node] = []

    /// An empty trace.
    public init() {}

    /// The leaves (every node that was not split), as subproblems to resume from.
    public var leaves: [SearchLeaf] {
        nodes.filter { $0.ending != .split }.map { node in
            SearchLeaf(caseIndex: node.caseIndex, box: node.box, splits: SplitSet(node.splits ?? []))
        }
    }
}

/// A subproblem to resume a search from: part of one case's input box under ReLU split decisions.
public struct SearchLeaf: Sendable, Hashable {
    /// The case (input box) of the problem.
    public var caseIndex: Int
    /// The sub-box (nil: the case's whole box).
    public var box: Box?
    /// The split decisions.
    public var splits: SplitSet

    /// A leaf from its parts.
    public init(caseIndex: Int, box: Box? = nil, splits: SplitSet = SplitSet()) {
        self.caseIndex = caseIndex
        self.box = box
        self.splits = splits
    }
}
