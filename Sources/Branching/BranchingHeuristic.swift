public import Bounds
public import Network
public import Tensor

/// Everything a heuristic may look at when choosing the next ReLU to split at a branch-and-bound node.
public struct BranchingContext: Sendable {
    /// The network.
    public var network: Network
    /// The node's input box.
    public var box: Box
    /// The node's split decisions.
    public var splits: SplitSet
    /// What bounding the node established (bounds, linear bound, margins, LP evidence).
    public var evaluation: NodeEvaluation
    /// Rows of the evaluation's objective that still need to be proven (one per open output region, its most
    /// promising row).
    public var objectiveRows: [Int]
    /// Bounds candidate children (FSB, strong branching).
    public var children: ChildBounder
    /// When the search must stop: heuristics that bound children (strong branching, FSB) evaluate no further
    /// candidate after it. Nil: no limit.
    public var deadline: ContinuousClock.Instant?

    /// A context.
    public init(
        network: Network, box: Box, splits: SplitSet, evaluation: NodeEvaluation, objectiveRows: [Int],
        children: ChildBounder, deadline: ContinuousClock.Instant? = nil
    ) {
        self.deadline = deadline
        self.network = network
        self.box = box
        self.splits = splits
        self.evaluation = evaluation
        self.objectiveRows = objectiveRows
        self.children = children
    }

    /// The node's intermediate bounds (split clamps applied).
    public var bounds: IntermediateBounds { evaluation.intermediate }
    /// The final linear bound of the node's objective rows.
    public var linearBound: LinearBoundResult { evaluation.linearBound }

    /// The unstable neurons of the evaluation that are not split yet, in layer order.
    public var unstableNeurons: [NeuronID] { evaluation.unstable }

    /// True once ``deadline`` has passed.
    public var isPastDeadline: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }
}

/// Chooses which ReLU neuron a branch-and-bound node splits on.
///
/// Conformers implement ``score(_:context:)``; the shared ``selectNeuron(_:)`` masks out stable and already split
/// neurons and takes the best score. A learned heuristic (a GNN scoring neurons) is one more conformer.
public protocol BranchingHeuristic: Sendable {
    /// A score per candidate (higher: split first). `candidates` are the context's unstable neurons.
    func score(_ candidates: [NeuronID], context: BranchingContext) -> [Double]
    /// The neuron to split, or nil when none is unstable.
    func selectNeuron(_ context: BranchingContext) -> NeuronID?
}

extension BranchingHeuristic {
    /// Masks stable and split neurons, scores the rest and returns the best (ties: the earliest layer, then the
    /// lowest index, so the choice is deterministic).
    public func selectNeuron(_ context: BranchingContext) -> NeuronID? {
        let candidates = context.unstableNeurons
        guard !candidates.isEmpty else { return nil }
        let scores = score(candidates, context: context)
        var best = 0
        for i in candidates.indices where scores[i] > scores[best] { best = i }
        return candidates[best]
    }

    /// The indices of the `k` best scores, best first.
    public func topK(_ scores: [Double], _ k: Int) -> [Int] {
        Array(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k))
    }
}
