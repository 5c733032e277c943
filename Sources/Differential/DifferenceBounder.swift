public import Network
public import Tensor

/// Certified bounds of `g − f` over many boxes of one pair of networks, prepared once: the networks aligned
/// (structured pruning widened back by zero neurons) and checked, then every box bounded by difference
/// propagation, or by CROWN on the product network for pairs of different structure (``LeafBounder``).
///
/// Branch and bound uses it to close a product-network node from the difference alone
/// (``DifferenceBounds`` over the node's box), without splitting anything itself.
public struct DifferenceBounder: Sendable {
    let leaf: LeafBounder

    /// A bounder for `f` and `g` over boxes of `inputDimension` coordinates.
    /// - Throws: the errors of ``DifferenceBounds/compute(original:compressed:over:margins:)`` for a pair that
    ///   neither difference propagation nor the product network handles.
    public init(original f: Network, compressed g: Network, inputDimension: Int) throws(DifferentialError) {
        guard inputDimension == f.inputCount else {
            throw .inputDimension(expected: f.inputCount, found: inputDimension)
        }
        let zero = Box(lower: [Double](repeating: 0, count: inputDimension),
                       upper: [Double](repeating: 0, count: inputDimension))
        leaf = try LeafBounder.make(original: f, compressed: g, box: zero)
    }

    /// True when the pair is bounded by difference propagation (one layer structure), false when by CROWN on the
    /// product network.
    public var propagatesDifferences: Bool { leaf.method == .differencePropagation }

    /// Certified bounds of `g(x) − f(x)` per output for every `x` in `box` (no splitting).
    /// - Throws: ``DifferentialError/inputDimension(expected:found:)`` or `.bounds` when a network cannot be bounded.
    public func bounds(over box: Box, margins: SoundnessMargins = SoundnessMargins()) throws(DifferentialError)
        -> DifferenceBounds
    {
        try leaf.bound(box, margins: margins).bounds
    }
}
