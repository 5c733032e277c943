/// A concrete input that violates the property, confirmed by forward passes in Float64 and in Float32
/// (``WitnessCheck``).
///
/// The input values are exactly representable in Float32 (the precision of the ONNX model's input tensor) and
/// lie inside the property's input region (strict bounds excluded), so the witness replays identically in ONNX
/// Runtime.
public struct Counterexample: Sendable, Hashable {
    /// The input, every value a Float32 number inside the property's box.
    public var input: [Double]
    /// The Float64 forward pass at ``input``.
    public var output: [Double]
    /// The Float32 forward pass at ``input``.
    public var outputFloat32: [Float]
    /// Which case (input box) of the specification it belongs to.
    public var caseIndex: Int
    /// Which disjunct (output region) of that case it reaches.
    public var disjunctIndex: Int
}
