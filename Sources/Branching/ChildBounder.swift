public import Bounds
public import Tensor

/// Bounds a candidate child of a node: what FSB and strong branching need, in one place, so that heuristics
/// do not re-run bound propagation privately.
///
/// A child is the node with one more ReLU split; its bound is the node's objective rows `rows` bounded again
/// under the new split, reusing the node's intermediate bounds before the split layer (and after it recomputing
/// them by ``intermediateMethod``, as the search will for the real child).
public struct ChildBounder: Sendable {
    /// The propagator of the network.
    public var propagator: BoundPropagator
    /// The node's input box.
    public var box: Box
    /// The node's intermediate bounds.
    public var intermediate: IntermediateBounds
    /// The node's splits.
    public var splits: SplitSet
    /// The objective rows to bound (rows × outputs) with their thresholds.
    public var rows: Matrix
    /// `d` of each row.
    public var thresholds: [Double]
    /// The bound method for the children's objective. Default CROWN.
    public var method: BoundMethod = .crown
    /// How the children's intermediate bounds after the split layer are recomputed: CROWN, or interval (the
    /// node's bounds clamped by the split). Default CROWN.
    public var intermediateMethod: BoundMethod = .crown

    /// A bounder for the children of a node.
    public init(
        propagator: BoundPropagator, box: Box, intermediate: IntermediateBounds, splits: SplitSet, rows: Matrix,
        thresholds: [Double]
    ) {
        self.propagator = propagator
        self.box = box
        self.intermediate = intermediate
        self.splits = splits
        self.rows = rows
        self.thresholds = thresholds
    }

    /// The child's worst margin `min_rows (lower − threshold)` after splitting `neuron` into the given phase;
    /// +∞ when the split makes the child infeasible (it closes at once).
    public func worstMargin(splitting neuron: NeuronID, active: Bool) -> Double {
        worstMargins(splitting: [(neuron, active)])[0]
    }

    /// ``worstMargin(splitting:active:)`` of several children, their objectives bounded together: one batched
    /// back-substitution of all their rows (``BoundPropagator/lowerBounds(of:options:)``), each child with its own
    /// intermediate bounds and splits, so each margin is the one it gets alone.
    public func worstMargins(splitting children: [(neuron: NeuronID, active: Bool)]) -> [Double] {
        var margins = [Double](repeating: .infinity, count: children.count)
        var queries: [ObjectiveQuery] = []
        var owners: [Int] = []
        for (i, child) in children.enumerated() {
            let childSplits = splits.adding(ReLUSplit(child.neuron, isActive: child.active))
            let bounds = propagator.intermediateBounds(
                over: box, splits: childSplits, method: intermediateMethod, reusing: intermediate,
                fromLayer: child.neuron.layer)
            if bounds.isInfeasible { continue }
            queries.append(ObjectiveQuery(objective: rows, box: box, intermediate: bounds, splits: childSplits))
            owners.append(i)
        }
        var options = BoundOptions()
        options.method = method
        for (i, result) in zip(owners, propagator.lowerBounds(of: queries, options: options)) {
            margins[i] = zip(result.lower, thresholds).map { $0 - $1 }.min() ?? 0
        }
        return margins
    }
}
