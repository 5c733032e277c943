import Bounds
import Tensor

/// Everything the refinement keeps about one bounded leaf: its certified bounds, the scores that choose how to
/// split it, and the per-tensor bounds its children reuse.
struct LeafAnalysis {
    /// Certified bounds of `g − f` over the leaf (meaningless when ``isInfeasible``).
    var bounds: DifferenceBounds
    /// Per input coordinate, `|a_j|·width_j` for the binding symbolic bound of the worst output.
    var smear: [Double]
    /// The ReLU neuron to split, when difference propagation found an unstable one that the bound depends on.
    var candidate: ReLUCandidate?
    /// Each network's intermediate bounds under the leaf's decisions (nil for the product network).
    var networks: (f: IntermediateBounds, g: IntermediateBounds)?
    /// Bounds of `δ` on every tensor, input first (empty for the product network).
    var deltas: [Box]
    /// True when the leaf's ReLU decisions are contradictory over its box: no input reaches it.
    var isInfeasible: Bool

    /// A leaf that no input reaches (`outputs` zero-width placeholder bounds).
    static func infeasible(outputs: Int, inputs: Int) -> LeafAnalysis {
        let zero = [Double](repeating: 0, count: outputs)
        return LeafAnalysis(
            bounds: DifferenceBounds(lower: zero, upper: zero, naiveLower: zero, naiveUpper: zero),
            smear: [Double](repeating: 0, count: inputs), candidate: nil, networks: nil, deltas: [],
            isInfeasible: true)
    }
}
