public import Network
public import Tensor
public import VNNLib

/// The one gate every `sat` passes: a candidate input becomes a ``Counterexample`` only here.
///
/// The candidate is rounded to a Float32 value inside the search box *and* the case's exact ``InputRegion``
/// (strict bounds excluded, inexact bounds rounded inward), then the network is evaluated in Float64 and in
/// Float32, and both outputs must satisfy the output region exactly (``OutputPolytope/isSatisfied(by:tolerance:)``
/// decides `c·y ≤ d` on the exact value, not a rounded sum). When the model's stored graph is at hand (a
/// ``Network/ReferenceEvaluator``, e.g. `ONNX.GraphInterpreter`), its Float32 outputs must satisfy the region
/// too: that is what ONNX Runtime computes when the witness is replayed, not the folded network.
public struct WitnessCheck: Sendable {
    /// The network the search runs on.
    public var network: Network
    /// The independent replay of the model as stored, if any.
    public var reference: (any ReferenceEvaluator)?

    /// A check against `network` and, when given, `reference`.
    public init(network: Network, reference: (any ReferenceEvaluator)? = nil) {
        self.network = network
        self.reference = reference
    }

    /// The counterexample at `candidate`, or nil when no Float32 rounding of it inside `box` ∩ `inputRegion`
    /// exists or a forward pass misses `region` (the caller keeps searching: `sat` is never based on an
    /// unconfirmed point).
    public func confirm(
        _ candidate: [Double], box: Box, inputRegion: InputRegion, region: OutputPolytope, caseIndex: Int,
        disjunctIndex: Int
    ) -> Counterexample? {
        guard candidate.count == box.dimension, inputRegion.dimension == box.dimension,
            candidate.allSatisfy(\.isFinite)
        else { return nil }
        var x32 = [Float](repeating: 0, count: candidate.count)
        for i in 0..<candidate.count {
            let (lower, upper) = allowedRange(candidate[i], box: box, coordinate: i)
            guard let v = Self.float32Inside(candidate[i], lower: lower, upper: upper, region: inputRegion, coordinate: i)
            else { return nil }
            x32[i] = v
        }
        let x64 = x32.map { Double($0) }
        let y64 = network.evaluate(x64)
        guard region.isSatisfied(by: y64) else { return nil }
        let y32 = network.evaluate(x32)
        guard region.isSatisfied(by: y32) else { return nil }
        var replayed: [Float]?
        if let reference {
            guard let yr = reference.evaluate(x32), region.isSatisfied(by: yr) else { return nil }
            replayed = yr
        }
        let margins = [y64, y32.map(Double.init)] + (replayed.map { [$0.map(Double.init)] } ?? [])
        return Counterexample(
            input: x64, output: y64, outputFloat32: y32, replayOutput: replayed, caseIndex: caseIndex,
            disjunctIndex: disjunctIndex, margin: margins.map { region.slack(at: $0) }.min() ?? 0)
    }

    /// Where coordinate `i` of a witness for `candidate` may lie: the search box's range, or — when the network
    /// clips its inputs (``Network/inputClamp``, a `.nnet` range) and the candidate sits at a clipping bound — every
    /// value beyond that bound, since all of them clip to it (the search runs over the clipped box, the witness
    /// must lie in the property's region).
    func allowedRange(_ candidate: Double, box: Box, coordinate i: Int) -> (lower: Double, upper: Double) {
        guard let clamp = network.inputClamp else { return (box.lower[i], box.upper[i]) }
        let c = Swift.min(Swift.max(candidate, box.lower[i]), box.upper[i])
        if c >= clamp.upper[i] { return (clamp.upper[i], .infinity) }
        if c <= clamp.lower[i] { return (-.infinity, clamp.lower[i]) }
        return (box.lower[i], box.upper[i])
    }

    /// The Float32 value nearest to `x` that lies in `[lower, upper]` and in coordinate `i` of `region` (open sides
    /// excluded), if there is one.
    static func float32Inside(_ x: Double, lower: Double, upper: Double, region: InputRegion, coordinate i: Int)
        -> Float?
    {
        let low = Swift.max(lower, region.lower[i])
        let high = Swift.min(upper, region.upper[i])
        guard low <= high else { return nil }
        var v = Float(Swift.min(Swift.max(x, low), high))
        // At most two steps each way: one for rounding, one for an open side at a Float32 value.
        let open = (lower: region.lowerIsOpen[i] && low == region.lower[i],
                    upper: region.upperIsOpen[i] && high == region.upper[i])
        for _ in 0..<2 where Double(v) < low || (open.lower && Double(v) == low) { v = v.nextUp }
        for _ in 0..<2 where Double(v) > high || (open.upper && Double(v) == high) { v = v.nextDown }
        guard v.isFinite, Double(v) >= low, Double(v) <= high, region.contains(coordinate: i, value: Double(v))
        else { return nil }
        return v
    }
}
