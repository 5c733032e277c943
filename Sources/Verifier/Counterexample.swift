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
    /// The independent replay's outputs at ``input`` (the ONNX graph as stored, in Float32), when one ran.
    public var replayOutput: [Float]?
    /// The query's hidden-node values at ``input`` (flat, declaration order; from the replay when one ran, else
    /// the Float32 pass), when the query has hidden nodes.
    public var hiddenValues: [Float]?
    /// Which case (input box) of the specification it belongs to.
    public var caseIndex: Int
    /// Which disjunct (output region) of that case it reaches.
    public var disjunctIndex: Int
    /// How deep inside the output region the witness lies: the smallest `d_i − c_i·y` over the region's rows and
    /// over the Float64, Float32 and replayed outputs (≥ 0; 0 for a witness on a non-strict boundary).
    public var margin: Double

    /// A counterexample from its parts.
    public init(
        input: [Double], output: [Double], outputFloat32: [Float], replayOutput: [Float]? = nil, caseIndex: Int,
        disjunctIndex: Int, margin: Double
    ) {
        self.input = input
        self.output = output
        self.outputFloat32 = outputFloat32
        self.replayOutput = replayOutput
        self.caseIndex = caseIndex
        self.disjunctIndex = disjunctIndex
        self.margin = margin
    }
}
