/// An elementwise affine map `y_i = scale_i · x_i + shift_i`.
public struct ElementwiseAffine: Sendable, Hashable {
    /// Per-element multiplier.
    public var scale: [Double]
    /// Per-element offset.
    public var shift: [Double]

    /// An elementwise affine map; the arrays must have equal length.
    public init(scale: [Double], shift: [Double]) {
        precondition(scale.count == shift.count, "elementwise size mismatch")
        self.scale = scale
        self.shift = shift
    }
}
