public import Tensor

/// One region of a batched ``BoundPropagator/intermediateBounds(of:method:intermediateOptions:)`` call: a
/// branch-and-bound node's box and splits, with its parent's bounds to reuse and intersect with.
public struct IntermediateQuery: Sendable {
    /// The input region.
    public var box: Box
    /// ReLU split decisions.
    public var splits: SplitSet
    /// Bounds valid for a region containing this one (see
    /// ``BoundPropagator/intermediateBounds(over:splits:method:reusing:fromLayer:intermediateOptions:)``).
    public var parent: IntermediateBounds?
    /// With `parent` and the same box: the smallest layer index whose splits differ from the parent's.
    public var fromLayer: Int?

    /// A query; `parent` and `fromLayer` as in
    /// ``BoundPropagator/intermediateBounds(over:splits:method:reusing:fromLayer:intermediateOptions:)``.
    public init(box: Box, splits: SplitSet = SplitSet(), parent: IntermediateBounds? = nil, fromLayer: Int? = nil) {
        self.box = box
        self.splits = splits
        self.parent = parent
        self.fromLayer = fromLayer
    }
}
