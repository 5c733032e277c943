import Bounds
import Tensor

/// Filtered smart branching (De Palma et al. 2021, "Improved branch and bound for neural network verification via
/// Lagrangian decomposition"): the top ``candidateCount`` neurons by BaBSR score and by BaBSR's intercept score are
/// re-scored by a cheap bound of each child.
///
/// A child is the node with the neuron's pre-activation clamped (`l ≥ 0` or `u ≤ 0`), the other intermediate
/// bounds kept, and one CROWN back-substitution of the context's rows. A candidate's score is the worse child's
/// smallest row bound (an infeasible child counts as `+∞`); neurons outside the filter score `−∞`, so they are
/// chosen only when nothing else is left.
public struct FilteredSmartBranching: BranchingHeuristic {
    /// Neurons taken from each of the two BaBSR rankings. Default 3.
    public var candidateCount: Int

    /// The heuristic with `candidateCount` neurons per ranking (default 3).
    public init(candidateCount: Int = 3) { self.candidateCount = candidateCount }

    public func scores(_ context: BranchingContext, candidates: [ReLUNeuron]) -> [Double] {
        let babsr = BaBSR()
        var filtered = Set(Self.top(candidateCount, of: candidates, scores: babsr.scores(context, candidates: candidates)))
        filtered.formUnion(Self.top(candidateCount, of: candidates,
                                    scores: babsr.interceptScores(context, candidates: candidates)))
        return candidates.map { filtered.contains($0) ? childBound(context, $0) : -.infinity }
    }

    /// The worse child's bound after splitting `neuron` (see the type's documentation).
    public func childBound(_ context: BranchingContext, _ neuron: ReLUNeuron) -> Double {
        let objective = context.objective.selectingRows(context.rows)
        let constants = context.rows.map { context.constants[$0] }
        var worst = Double.infinity
        for active in [true, false] {
            let splits = context.splits.adding(ReLUSplit(layer: neuron.layer, neuron: neuron.neuron, isActive: active))
            let result = context.propagator.lowerBounds(
                of: objective, constants: constants, over: context.box, intermediate: context.intermediate,
                splits: splits, options: BoundOptions(method: .crown))
            worst = min(worst, result.lower.min() ?? .infinity)
        }
        return worst
    }
}
