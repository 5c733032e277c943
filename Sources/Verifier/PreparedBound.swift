import Bounds
import Branching
import Tensor

/// A node's first stage up to its objective bound: intermediate bounds, the objective rows of its open regions
/// and their thresholds, its unstable neurons, whether it bisects, and how its objective is to be bounded —
/// what ``NodeProcessor`` batches across nodes before it bounds their objectives together.
struct PreparedBound {
    var bounds: IntermediateBounds
    var objective: Matrix
    var thresholds: [Double]
    var regions: [Int]
    var regionRows: [[Int]]
    var ownRowCounts: [Int]
    var unstable: [NeuronID]
    var bisecting: Bool
    /// The objective bound's method and settings (nodes with equal options are bounded in one batch).
    var options: BoundOptions
    /// The parent's slopes and multipliers to start from.
    var warmStart: OptimisedSlopes?
    /// Keep this bound's slopes and multipliers for the node's children (a ReLU split follows).
    var keepsSlopes: Bool

    /// The objective bound to compute for `node` (the node this was prepared for).
    func query(for node: SearchNode) -> ObjectiveQuery {
        ObjectiveQuery(objective: objective, box: node.box, intermediate: bounds, splits: node.splits,
                       warmStart: warmStart, keepsSlopes: keepsSlopes,
                       stop: StopCriterion(groups: regionRows, thresholds: thresholds))
    }

    /// The node's evaluation once its objective bound is `result`.
    func evaluation(of result: LinearBoundResult) -> NodeEvaluation {
        NodeEvaluation(
            intermediate: bounds, objective: objective, thresholds: thresholds, regions: regions,
            regionRows: regionRows, ownRowCounts: ownRowCounts, linearBound: result, lower: result.lower,
            method: options.method, unstable: unstable)
    }
}
