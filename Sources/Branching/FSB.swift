public import Bounds
import Tensor

/// Filtered smart branching (De Palma, Bunel, Desmaison, Dvijotham, Kohli, Torr & Kumar, "Improved Branch and
/// Bound for Neural Network Verification via Lagrangian Decomposition", 2021): take a few promising candidates
/// and re-score each by its two children's actual bounds (one bound pass per child, by ``ChildBounder``).
///
/// Two forms: `fsb` takes BaBSR's best ``candidates`` and bounds the children's later layers as the search bounds
/// its nodes' (``ChildBounder/intermediateMethod``); `kfsb`
/// (alpha-beta-CROWN's k-FSB, ``CandidateRule/perLayer``) takes per ReLU layer the best by BaBSR's full
/// (bias-aware) score and the best by its intercept score, and bounds the children on the node's own
/// intermediate bounds clamped by the split.
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

    /// Which candidates are bounded.
    public enum CandidateRule: Sendable, Hashable {
        /// BaBSR's best ``FSB/candidates`` over all layers.
        case babsr
        /// Per ReLU layer, the best ``FSB/candidates`` by ``BaBSR/biasAwareScore(_:context:bias:)`` and the best by
        /// BaBSR's intercept score (scores above 10⁻⁴ only). (alpha-beta-CROWN also leaves out the first ReLU layer;
        /// on MNIST-FC that took more nodes everywhere measured, 19× on 256x2 `prop_3_0.03`: docs/benchmarks.md.)
        case perLayer
    }

    /// How many candidates to evaluate (per layer and score with ``CandidateRule/perLayer``). Default 4.
    public var candidates: Int
    /// Which child ranks a candidate. Default ``ChildReduction/worse``.
    public var reduction: ChildReduction
    /// Which candidates are evaluated. Default ``CandidateRule/babsr``.
    public var rule: CandidateRule
    /// How the children's intermediate bounds after the split layer are computed: interval (the node's bounds
    /// clamped by the split) or CROWN; nil (the default): as the search computes its nodes' (the context's
    /// ``ChildBounder/intermediateMethod``).
    public var childIntermediate: BoundMethod?

    /// An FSB heuristic.
    public init(
        candidates: Int = 4, reduction: ChildReduction = .worse, rule: CandidateRule = .babsr,
        childIntermediate: BoundMethod? = nil
    ) {
        self.candidates = candidates
        self.reduction = reduction
        self.rule = rule
        self.childIntermediate = childIntermediate
    }

    /// alpha-beta-CROWN's k-FSB (`--branching kfsb`): five candidates per layer and score, ranked by the better
    /// child, children on the node's clamped bounds.
    public static let layerwise = FSB(candidates: 5, reduction: .better, rule: .perLayer, childIntermediate: .interval)

    /// BaBSR scores with the evaluated candidates replaced by (large offset + the chosen child's worst margin).
    public func score(_ neurons: [NeuronID], context: BranchingContext) -> [Double] {
        var scores = BaBSR().score(neurons, context: context)
        guard !context.isPastDeadline else { return scores }
        var children = context.children
        if let childIntermediate { children.intermediateMethod = childIntermediate }
        let picked = evaluated(neurons, babsr: scores, context: context)
        // Both children of every candidate, bounded in one batch: active then inactive, candidate by candidate.
        let margins = children.worstMargins(splitting: picked.flatMap { [(neurons[$0], true), (neurons[$0], false)] })
        for (k, i) in picked.enumerated() {
            let pair = [margins[2 * k], margins[2 * k + 1]]
            let margin = reduction == .better ? pair.max()! : pair.min()!
            // Evaluated candidates rank above all others, by that child's worst margin (a closed child: +∞).
            scores[i] = 1e12 + (margin.isFinite ? Swift.max(-1e11, Swift.min(1e11, margin)) : 1e11)
        }
        return scores
    }

    /// The indices of the candidates to bound, by ``rule``.
    private func evaluated(_ neurons: [NeuronID], babsr: [Double], context: BranchingContext) -> [Int] {
        guard rule == .perLayer else { return topK(babsr, candidates) }
        let bias = PreActivationBias(network: context.network)
        let full = BaBSR.biasAwareScore(neurons, context: context, bias: bias)
        var byLayer: [Int: [Int]] = [:]
        for (i, n) in neurons.enumerated() { byLayer[n.layer, default: []].append(i) }
        var picked: [Int] = []
        var seen = Set<Int>()
        func best(_ indices: [Int], by score: [Double]) -> [Int] {
            Array(indices.filter { score[$0] > 1e-4 }.sorted { score[$0] > score[$1] }.prefix(candidates))
        }
        for layer in byLayer.keys.sorted() {
            let indices = byLayer[layer]!
            for i in best(indices, by: full) + best(indices, by: babsr) where seen.insert(i).inserted { picked.append(i) }
        }
        return picked.isEmpty ? topK(babsr, candidates) : picked
    }
}
