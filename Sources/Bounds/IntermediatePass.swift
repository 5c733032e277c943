import Tensor

/// One query of a batched ``BoundPropagator/intermediateBounds(of:method:intermediateOptions:)`` computation as
/// it moves through the network layer by layer: the tensors bounded so far and the back-substitution context
/// built from them.
struct IntermediatePass {
    var splits: SplitSet
    /// The parent's bounds, when valid for this network (not infeasible, one tensor per layer boundary).
    var parent: IntermediateBounds?
    var fromLayer: Int?
    /// Bounds of the network input and of the tensor entering each layer reached so far.
    var tensors: [Box]
    /// The first layer recomputed (the earlier ones are the parent's).
    var start = 0
    var context = BackSubstitutionContext()
    /// Set when the pass ended early: an empty interval proved the splits infeasible.
    var result: IntermediateBounds?

    init(query: IntermediateQuery, propagator: BoundPropagator) {
        let layerCount = propagator.rules.count
        splits = query.splits
        fromLayer = query.fromLayer
        tensors = [BoundPropagator.sanitized(query.box)]
        parent = query.parent.flatMap { !$0.isInfeasible && $0.tensors.count == layerCount + 1 ? $0 : nil }
    }

    /// Takes the parent's tensors up to the first recomputed layer and records their layers in the context.
    mutating func begin(propagator: BoundPropagator) {
        if let parent, let from = fromLayer, from > 0 {
            start = Swift.min(from, propagator.rules.count)
            tensors += parent.tensors[1...start]
        }
        for i in 0..<start { context.add(layer: i, input: tensors[i], propagator: propagator) }
    }

    /// True when the tensor entering layer `i` is the parent's, not to be back-substituted again.
    func reuses(layer i: Int) -> Bool { parent != nil && i == start && start > 0 }

    /// Makes the tensor entering nonlinear layer `i` final: intersected with the parent's, clamped by the splits
    /// (ReLU), sanitised; an empty interval ends the pass as infeasible.
    mutating func settle(layer i: Int, method: BoundMethod, propagator: BoundPropagator) {
        var t = tensors[i]
        if let parent { BoundPropagator.intersect(&t, with: parent.tensors[i]) }
        if propagator.network.layers[i] == .relu { propagator.clamp(&t, layer: i, splits: splits) }
        // A NaN bound is unknown, not empty: only a NaN-free `lower > upper` proves infeasibility.
        t = BoundPropagator.sanitized(t)
        if !t.isValid {
            result = IntermediateBounds(
                tensors: tensors + [t], nonlinearLayers: propagator.nonlinearLayers, isInfeasible: true, method: method)
            return
        }
        tensors[i] = t
    }

    /// Records layer `i` in the context and bounds its output by interval propagation (intersected with the
    /// parent's).
    mutating func advance(layer i: Int, propagator: BoundPropagator) {
        context.add(layer: i, input: tensors[i], propagator: propagator)
        var next = propagator.interval(layer: i, tensors[i])
        if let parent { BoundPropagator.intersect(&next, with: parent.tensors[i + 1]) }
        tensors.append(next)
    }
}
