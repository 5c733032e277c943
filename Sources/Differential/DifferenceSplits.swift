public import Bounds

/// The ReLU phase decisions of one refinement leaf, per network: a neuron of the original network `f` and/or
/// the same neuron (same layer, same flat index) of the compressed copy `g` constrained active (pre-activation
/// `≥ 0`) or inactive (`≤ 0`).
///
/// A leaf with decisions stands for the inputs of its box that satisfy all of them. Each network's intermediate
/// bounds clamp its split neurons' pre-activation intervals (`Bounds`' ``SplitSet`` handling, as in the
/// verifier), which makes their relaxations, and the difference relaxations that use them, exact.
public struct DifferenceSplits: Sendable, Hashable {
    /// Which of the two networks a decision constrains.
    public enum Side: String, Sendable, Hashable, Codable {
        /// The original network `f`.
        case original
        /// The compressed network `g`.
        case compressed
    }

    /// Decisions on `f`'s neurons.
    public var original: SplitSet
    /// Decisions on `g`'s neurons.
    public var compressed: SplitSet

    /// The decisions `original` on `f` and `compressed` on `g` (none by default).
    public init(original: SplitSet = SplitSet(), compressed: SplitSet = SplitSet()) {
        self.original = original
        self.compressed = compressed
    }

    /// The decisions of one side.
    public subscript(side: Side) -> SplitSet {
        get { side == .original ? original : compressed }
        set { if side == .original { original = newValue } else { compressed = newValue } }
    }

    /// These decisions plus `split` on `side`.
    public func adding(_ split: ReLUSplit, on side: Side) -> DifferenceSplits {
        var copy = self
        copy[side] = self[side].adding(split)
        return copy
    }

    /// Number of decisions on both sides.
    public var count: Int { original.count + compressed.count }

    /// True when no neuron of either network is split.
    public var isEmpty: Bool { count == 0 }
}
