import Bounds

/// How the refinement divides a leaf into children that together cover it.
enum SplitDecision: Hashable {
    /// Bisect the box along this input coordinate (same ReLU decisions in both halves).
    case input(Int)
    /// Split this ReLU neuron of the listed networks into its active and inactive phases (same box in every
    /// child; two children for one network, four for both).
    case relu(NeuronID, [DifferenceSplits.Side])
}

/// The unstable ReLU neuron that a leaf's bound blames most, and which network's copy of it to split.
///
/// Its score is BaBSR-like: for the binding side of the leaf's worst output, `|coefficient| × gap` summed over
/// the relaxations the neuron enters (`f`'s own ReLU line with the coefficient of `x_f'` and of `δ'`, `g`'s with
/// that of `δ'`), the gap being the triangle relaxation's height `−l·u/(u − l)` over the neuron's interval.
struct ReLUCandidate: Hashable {
    var neuron: NeuronID
    var side: DifferenceSplits.Side
    var score: Double
    /// True when the same neuron of the other network is unstable too.
    var bothUnstable: Bool
}
