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
        /// The remaining regions refuted by certified bounds on `g − f` (equivalence queries).
        case refutedByDifference = "refuted-difference"
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

    /// What a trace was recorded on: content hashes of the network and the property (``ContentHash``), and the
    /// network's input count. Lets a reader tell a trace of this problem from one of another network of the same
    /// property (``Verifier/verify(_:reusing:)``) and refuse one of another property.
    public struct Origin: Sendable, Codable, Hashable {
        /// ``ContentHash/of(_:)-(Network)`` of the network, 32 hex digits.
        public var network: String
        /// ``ContentHash/of(_:)-(VerificationProblem)`` of the property, 32 hex digits.
        public var property: String
        /// The network's number of inputs.
        public var inputs: Int

        /// An origin from its parts.
        public init(network: String, property: String, inputs: Int) {
            self.network = network
            self.property = property
            self.inputs = inputs
        }

        /// The origin of a run on `problem`.
        public init(_ problem: VerificationProblem) {
            self.init(
                network: ContentHash.of(problem.network).description,
                property: ContentHash.of(problem).description, inputs: problem.network.inputCount)
        }
    }

    /// How the recorded run ended.
    public enum Outcome: String, Sendable, Codable {
        /// ``Verdict/proven``.
        case proven
        /// ``Verdict/violated(_:)``.
        case violated
        /// ``Verdict/timeout``.
        case timeout
        /// ``Verdict/unknown(reason:)``.
        case unknown

        /// The outcome of `verdict`.
        public init(_ verdict: Verdict) {
            switch verdict {
            case .proven: self = .proven
            case .violated: self = .violated
            case .timeout: self = .timeout
            case .unknown: self = .unknown
            }
        }
    }

    /// The input of a run's counterexample: tried first when the trace is reused on another network.
    public struct Witness: Sendable, Codable, Hashable {
        /// The case it violates.
        public var caseIndex: Int
        /// The disjunct (output region) it reaches.
        public var disjunctIndex: Int
        /// The input, as confirmed (Float32 values).
        public var input: [Double]

        /// A witness from its parts.
        public init(caseIndex: Int, disjunctIndex: Int, input: [Double]) {
            self.caseIndex = caseIndex
            self.disjunctIndex = disjunctIndex
            self.input = input
        }
    }

    /// The schema version written in the first line. The header's ``Origin``, ``Outcome`` and ``Witness`` fields
    /// are optional additions that version-1 readers ignore, so the version stays 1.
    public static let version = 1
    /// The nodes in the order they ended.
    public var nodes: [Node] = []
    /// What the trace was recorded on (nil when unknown: traces from before the field, or built by hand).
    public var origin: Origin?
    /// How the run ended (nil when unknown).
    public var outcome: Outcome?
    /// The run's counterexample, when it found one.
    public var witness: Witness?

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
