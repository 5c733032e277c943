public import Bounds
public import Network
public import Tensor

/// Everything a heuristic may look at when choosing the next ReLU to split at a branch-and-bound node.
public struct BranchingContext: Sendable {
    /// The network.
    public var network: Network
    /// The node's input box.
    public var box: Box
    /// The node's intermediate bounds (split clamps applied).
    public var bounds: IntermediateBounds
    /// The node's split decisions.
    public var splits: SplitSet
    /// The final linear bound of the node's open objective rows.
    public var linearBound: LinearBoundResult
    /// Rows of `linearBound` that still need to be proven (one per open output region, its most promising row).
    public var objectiveRows: [Int]
    /// The objective matrix the final bound was computed for (rows × outputs) and each row's threshold: a row is
    /// proven when its lower bound exceeds the threshold. Used by heuristics that recompute bounds (FSB).
    public var objective: Matrix
    /// Thresholds `d_i` of the objective rows.
    public var thresholds: [Double]
    /// The bound propagator, for heuristics that evaluate candidate splits (FSB).
    public var propagator: BoundPropagator

    /// A context.
    public init(
        network: Network, box: Box, bounds: IntermediateBounds, splits: SplitSet, linearBound: LinearBoundResult,
        objectiveRows: [Int], objective: Matrix, thresholds: [Double], propagator: BoundPropagator
    ) {
        self.network = network
        self.box = box
        self.bounds = bounds
        self.splits = splits
        self.linearBound = linearBound
        self.objectiveRows = objectiveRows
        self.objective = objective
        self.thresholds = thresholds
        self.propagator = propagator
    }

    /// The unsplit ReLU neurons whose pre-activation interval contains zero in its interior, in layer order.
    public var unstableNeurons: [NeuronID] {
        var out: [NeuronID] = []
        for (layer, kind) in network.layers.enumerated() where kind == .relu {
            let box = bounds.tensors[layer]
            for k in 0..<box.dimension where box.lower[k] < 0 && box.upper[k] > 0
                && splits.state(layer: layer, neuron: k) == nil {
                out.append(NeuronID(layer: layer, neuron: k))
            }
        }
        return out
    }
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
