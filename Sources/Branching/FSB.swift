public import Bounds
import Tensor

/// Filtered smart branching (De Palma, Bunel, Desmaison, Dvijotham, Kohli, Torr & Kumar, "Improved Branch and
/// Bound for Neural Network Verification via Lagrangian Decomposition", 2021): take BaBSR's top `k` candidates
/// and re-score each by its two children's actual bounds (one CROWN pass per child, by ``ChildBounder``).
public struct FSB: BranchingHeuristic {
    /// Which child's margin ranks a candidate (`--branching fsb:worse` or `fsb:better`).
    public enum ChildReduction: String, Sendable, Hashable, CaseIterable {
        /// The worse child's worst margin: the gain the split guarantees. The default.
        case worse
        /// The better child's worst margin (alpha-beta-CROWN's `reduceop: max`): a split that closes one side, or
        /// nearly, goes first. It decides some MNIST-FC instances that the default leaves open and leaves others
        /// open that the default decides (docs/benchmarks.md, "FSB's child reduction").
        case better
    }

    /// How many BaBSR candidates to evaluate. Default 4.
    public var candidates: Int
    /// Which child ranks a candidate. Default ``ChildReduction/worse``.
    public var reduction: ChildReduction

    /// An FSB heuristic.
    public init(candidates: Int = 4, reduction: ChildReduction = .worse) {
        self.candidates = candidates
        self.reduction = reduction
    }

    /// BaBSR scores with the top candidates replaced by (large offset + the chosen child's worst margin).
    public func score(_ neurons: [NeuronID], context: BranchingContext) -> [Double] {
        var scores = BaBSR().score(neurons, context: context)
        for i in topK(scores, candidates) {
            if context.isPastDeadline { break }
            let margins = [true, false].map { context.children.worstMargin(splitting: neurons[i], active: $0) }
            let margin = reduction == .better ? margins.max()! : margins.min()!
            // Evaluated candidates rank above all others, by that child's worst margin (a closed child: +∞).
            scores[i] = 1e12 + (margin.isFinite ? Swift.max(-1e11, Swift.min(1e11, margin)) : 1e11)
        }
        return scores
    }
}
