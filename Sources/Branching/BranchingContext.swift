public import Bounds
public import Tensor

/// Everything a branching heuristic may look at for one branch-and-bound node.
public struct BranchingContext: Sendable {
    /// The propagator of the network being verified.
    public var propagator: BoundPropagator
    /// The node's input box.
    public var box: Box
    /// The node's intermediate bounds (split clamps applied).
    public var intermediate: IntermediateBounds
    /// The node's split decisions.
    public var splits: SplitSet
    /// The objective rows `C` (`rows × outputCount`) whose lower bounds the search tries to raise above 0.
    public var objective: Matrix
    /// Per-row constants added to `C·y`.
    public var constants: [Double]
    /// The node's bound of the objective (with ``LinearBoundResult/reluCoefficients``).
    public var bound: LinearBoundResult
    /// The rows that matter for the decision. Default: the row with the smallest lower bound.
    public var rows: [Int]

    /// A context; `rows` defaults to the row with the smallest lower bound in `bound`.
    public init(
        propagator: BoundPropagator, box: Box, intermediate: IntermediateBounds, splits: SplitSet,
        objective: Matrix, constants: [Double]? = nil, bound: LinearBoundResult, rows: [Int]? = nil
    ) {
        self.propagator = propagator
        self.box = box
        self.intermediate = intermediate
        self.splits = splits
        self.objective = objective
        self.constants = constants ?? [Double](repeating: 0, count: objective.rows)
        self.bound = bound
        let worst = bound.lower.indices.min { bound.lower[$0] < bound.lower[$1] }
        self.rows = rows ?? worst.map { [$0] } ?? []
    }

    /// The neurons that may be split: unstable (`l < 0 < u`) and not yet split. Ordered by layer, then neuron.
    public var candidates: [ReLUNeuron] {
        propagator.reluLayers.flatMap { k -> [ReLUNeuron] in
            let t = intermediate.tensors[k]
            return (0..<t.dimension).compactMap { j in
                t.lower[j] < 0 && t.upper[j] > 0 && splits.state(layer: k, neuron: j) == nil
                    ? ReLUNeuron(layer: k, neuron: j) : nil
            }
        }
    }
}
