import Bounds
import Tensor

/// Filtered smart branching (De Palma, Bunel, Desmaison, Dvijotham, Kohli, Torr & Kumar, "Improved Branch and
/// Bound for Neural Network Verification via Lagrangian Decomposition", 2021): take BaBSR's top `k` candidates
/// and re-score each by the worse of its two children's actual bound (one CROWN pass per child, by ``ChildBounder``).
public struct FSB: BranchingHeuristic {
    /// How many BaBSR candidates to evaluate. Default 4.
    public var candidates: Int

    /// An FSB heuristic.
    public init(candidates: Int = 4) { self.candidates = candidates }

    /// BaBSR scores with the top candidates replaced by (large offset + the children's worst margin).
    public func score(_ neurons: [NeuronID], context: BranchingContext) -> [Double] {
        var scores = BaBSR().score(neurons, context: context)
        for i in topK(scores, candidates) {
            if context.isPastDeadline { break }
            let n = neurons[i]
            let worst = [true, false].map { context.children.worstMargin(splitting: n, active: $0) }.min()!
            // Evaluated candidates rank above all others, by their children's worst margin.
            scores[i] = 1e12 + (worst.isFinite ? Swift.max(-1e11, Swift.min(1e11, worst)) : 1e11)
        }
        return scores
    }
}
