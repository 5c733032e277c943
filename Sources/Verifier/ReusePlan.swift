import Bounds

/// What an earlier search did below a node: the ReLU it split there and the plans of the two children — the
/// original's split order, which a reused search follows before it asks its own branching heuristic.
///
/// A plan only chooses *which* neuron to split; both phases always become children, so following it (or a
/// tampered version of it) keeps the search complete and every proof is the search's own.
indirect enum ReusePlan: Sendable, Hashable {
    /// Split `neuron`; the active child continues with `active`, the inactive one with `inactive`.
    case split(NeuronID, active: ReusePlan, inactive: ReusePlan)
    /// The earlier search stopped here: the node is decided as usual.
    case end

    /// True for ``split(_:active:inactive:)``.
    var isSplit: Bool {
        if case .split = self { return true }
        return false
    }

    /// The split to make at a node with these `splits` and pre-activation intervals `phase(neuron)` (`true`:
    /// stable active, `false`: stable inactive, nil: unstable), with the children's plans. A planned neuron that
    /// is already decided, or stable on this network, is not split again (one child would be the node itself,
    /// the other empty): the plan continues on the side the node is on. Nil when the plan ends first.
    func next(splits: SplitSet, phase: (NeuronID) -> Bool?) -> (neuron: NeuronID, active: ReusePlan, inactive: ReusePlan)? {
        var plan = self
        while case let .split(neuron, active, inactive) = plan {
            guard let side = splits.state(layer: neuron.layer, neuron: neuron.neuron) ?? phase(neuron) else {
                return (neuron, active, inactive)
            }
            plan = side ? active : inactive
        }
        return nil
    }
}
