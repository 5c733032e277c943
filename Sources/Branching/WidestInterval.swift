public import Bounds
/// Splits the unstable neuron whose pre-activation interval `[l, u]` is widest, scaled by how balanced it is
/// (`min(−l, u)`), a classic baseline (Wang et al., "Formal Security Analysis of Neural Networks using Symbolic
/// Intervals", 2018).
public struct WidestInterval: BranchingHeuristic {
    /// The heuristic.
    public init() {}

    /// `min(−l, u)` per candidate.
    public func score(_ candidates: [NeuronID], context: BranchingContext) -> [Double] {
        candidates.map { c in
            let box = context.bounds.tensors[c.layer]
            return Swift.min(-box.lower[c.neuron], box.upper[c.neuron])
        }
    }
}
