public import Network
public import VNNLib
public import Tensor

/// A concrete input that violates the property, confirmed by forward passes in Float64 and in Float32.
///
/// The input values are exactly representable in Float32 (the precision of the ONNX model's input tensor) and
/// lie inside the property's input box, so the witness replays identically in ONNX Runtime.
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

    /// Rounds `candidate` to Float32 inside `box` and keeps it only if both forward passes land in `region`.
    ///
    /// Returns nil when the rounded point leaves the box or either forward pass misses the region: the caller
    /// keeps searching (a `sat` verdict is never based on an unconfirmed point).
    public static func confirm(
        _ candidate: [Double], network: Network, box: Box, region: OutputPolytope, caseIndex: Int, disjunctIndex: Int
    ) -> Counterexample? {
        guard candidate.count == box.dimension, candidate.allSatisfy(\.isFinite) else { return nil }
        var x32 = [Float](repeating: 0, count: candidate.count)
        for i in 0..<candidate.count {
            guard let v = float32Inside(candidate[i], lower: box.lower[i], upper: box.upper[i]) else { return nil }
            x32[i] = v
        }
        let x64 = x32.map { Double($0) }
        let y64 = network.evaluate(x64)
        guard region.contains(y64) else { return nil }
        let y32 = network.evaluate(x32)
        guard region.contains(y32) else { return nil }
        return Counterexample(input: x64, output: y64, outputFloat32: y32, caseIndex: caseIndex,
                              disjunctIndex: disjunctIndex)
    }

    /// The Float32 value nearest to `x` whose Float64 value lies in `[lower, upper]`, if there is one.
    static func float32Inside(_ x: Double, lower: Double, upper: Double) -> Float? {
        let clamped = Swift.min(Swift.max(x, lower), upper)
        var v = Float(clamped)
        if Double(v) < lower { v = v.nextUp }
        if Double(v) > upper { v = v.nextDown }
        guard v.isFinite, Double(v) >= lower, Double(v) <= upper else { return nil }
        return v
    }
}
