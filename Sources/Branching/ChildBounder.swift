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
        let childSplits = splits.adding(ReLUSplit(neuron, isActive: active))
        let bounds = propagator.intermediateBounds(
            over: box, splits: childSplits, method: intermediateMethod, reusing: intermediate, fromLayer: neuron.layer)
        if bounds.isInfeasible { return .infinity }
        var options = BoundOptions()
        options.method = method
        let result = propagator.lowerBounds(
            of: rows, constants: nil, over: box, intermediate: bounds, splits: childSplits, options: options)
        return zip(result.lower, thresholds).map { $0 - $1 }.min() ?? 0
    }
}
