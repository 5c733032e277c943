import Bounds
import Branching
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
    /// The parent's intermediate bounds. After a ReLU split they are reused for the layers before
    /// ``recomputeFrom``; after a bisection (``recomputeFrom`` nil) they still hold on the smaller box, so every
    /// layer is computed again but intersected with them, and the neurons they prove stable skip the
    /// back-substitution.
    var parentBounds: IntermediateBounds?
    /// First layer whose bounds the last split changed (nil: recompute everything).
    var recomputeFrom: Int?
    /// The parent's worst refutation margin: the lower, the further from proven.
    var priority: Double
    /// Number of splits on the path.
    var depth: Int
    /// Number of input bisections on the path.
    var inputSplitDepth: Int
    /// The node's id in the search (unique within a run; roots are numbered from 0, see ``BranchAndBound``).
    var id = 0
    /// The parent's id (nil for a root).
    var parent: Int?
    /// The decision that created the node from its parent (nil for a root).
    var decision: BranchingDecision?
    /// For a ReLU split, the phase this child takes.
    var isActiveSide: Bool?
    /// The splits an earlier search made below this node (proof reuse), followed before the heuristic's.
    var plan: ReusePlan = .end
    /// For a ReLU split, the parent's optimised slopes and split multipliers for the node's objective rows: its
    /// alpha-beta-CROWN bound starts from them.
    var warmStart: OptimisedSlopes?
    /// For a box half, how much alpha-CROWN's refinement raised the worst margin of the nearest ancestor it ran on
    /// (nil: none did): what the node's own refinement can be expected to gain, at most.
    var alphaGain: Double?
    /// The node's share of the search space: a case root's is one over the number of cases, a resumed region's
    /// the share it would have had in a search from its case's root (``Verifier/share(of:splits:inCase:)``), a
    /// child's half its parent's (the tree weight of Knuth's estimate; closed nodes' shares sum to 1 when the
    /// search is done).
    var share = 1.0

    /// The two children of `decision` (ids are assigned when they enter the frontier); for a ReLU split, the
    /// active child follows `plans.active` and the inactive one `plans.inactive`, and both start their bound's
    /// optimisation from `slopes` (for the rows of `openRegions`).
    func children(
        _ decision: BranchingDecision, openRegions: [Int], bounds: IntermediateBounds, priority: Double,
        plans: (active: ReusePlan, inactive: ReusePlan) = (.end, .end), slopes: OptimisedSlopes? = nil,
        alphaGain: Double? = nil
    ) -> [SearchNode] {
        switch decision {
        case let .bisect(dimension):
            let (a, b) = box.bisected(along: dimension)
            return [a, b].map { half in
                SearchNode(
                    caseIndex: caseIndex, box: half, splits: splits, openRegions: openRegions, parentBounds: bounds,
                    recomputeFrom: nil, priority: priority, depth: depth + 1, inputSplitDepth: inputSplitDepth + 1,
                    parent: id, decision: decision, alphaGain: alphaGain, share: share / 2)
            }
        case let .splitReLU(neuron):
            return [true, false].map { active in
                SearchNode(
                    caseIndex: caseIndex, box: box, splits: splits.adding(ReLUSplit(neuron, isActive: active)),
                    openRegions: openRegions, parentBounds: bounds, recomputeFrom: neuron.layer, priority: priority,
                    depth: depth + 1, inputSplitDepth: inputSplitDepth, parent: id, decision: decision,
                    isActiveSide: active, plan: active ? plans.active : plans.inactive, warmStart: slopes,
                    share: share / 2)
            }
        }
    }
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

/// What processing a node produced, with the evaluation it was based on (nil when the node's splits were
/// infeasible before any bound was computed).
struct NodeOutcome: Sendable {
    /// How the node ended.
    enum Result: Sendable {
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

    /// How the node ended.
    var result: Result
    /// What bounding the node established.
    var evaluation: NodeEvaluation?

    init(_ result: Result, _ evaluation: NodeEvaluation?) {
        self.result = result
        self.evaluation = evaluation
    }
}
