import Foundation
import Network

/// Weight quantisation: each weight tensor (or each output channel of it) is replaced by values from a small
/// set of levels, rounded to Float32. Biases stay in full precision.
///
/// - ``Scheme/uniform(bits:)``: symmetric uniform, `w ↦ s·round(w/s)` with `s = max|w| / (2^(b−1) − 1)`, so
///   the levels are `s·q` for integers `|q| ≤ 2^(b−1) − 1` (2 bits: `−s, 0, s`; 8 bits: 255 levels).
/// - ``Scheme/ternary``: TTQ-style, threshold `Δ = 0.7·mean|w|`; weights with `|w| ≤ Δ` become 0, the others
///   `+α⁺` or `−α⁻`, where `α⁺` and `α⁻` (TTQ's two scales, fitted rather than trained) are the mean
///   magnitudes of the kept positive and kept negative weights.
/// - ``Scheme/powerOfTwo(bits:)``: logarithmic, `w ↦ sign(w)·2^e` with `e = round(log₂|w|)` clamped to the
///   `2^(b−1) − 1` exponents at and below `round(log₂ max|w|)`; a weight whose exponent falls below that
///   window becomes 0 (so `2^b − 1` levels: zero and each sign of every exponent).
///
/// ``Granularity/perChannel`` computes the scale (or threshold, or top exponent) of each output row of a dense
/// layer and each output channel (filter) of a convolution separately.
public struct Quantization: Sendable, Hashable {
    /// The set of levels.
    public enum Scheme: Sendable, Hashable, CustomStringConvertible {
        /// Symmetric uniform with `bits` bits, 2…8.
        case uniform(bits: Int)
        /// Three levels `−α⁻, 0, α⁺`.
        case ternary
        /// Zero and signed powers of two, `bits` bits (2…8).
        case powerOfTwo(bits: Int)

        /// `uniform 8 bits`, `ternary`, `power-of-two 4 bits`.
        public var description: String {
            switch self {
            case let .uniform(bits): "uniform \(bits) bits"
            case .ternary: "ternary"
            case let .powerOfTwo(bits): "power-of-two \(bits) bits"
            }
        }
    }

    /// Which weights share a scale.
    public enum Granularity: String, Sendable, Hashable, Codable {
        /// One scale per layer.
        case perTensor
        /// One scale per output row (dense) or output channel (convolution).
        case perChannel
    }

    /// The levels.
    public var scheme: Scheme
    /// Which weights share a scale.
    public var granularity: Granularity

    /// A quantisation step.
    public init(_ scheme: Scheme, granularity: Granularity = .perTensor) {
        self.scheme = scheme
        self.granularity = granularity
    }

    /// Bits per stored weight (an index into the levels).
    public var bits: Int {
        switch scheme {
        case let .uniform(bits), let .powerOfTwo(bits): bits
        case .ternary: 2
        }
    }

    /// Checks the bit width.
    public func validate() throws(CompressionError) {
        guard (2...8).contains(bits) else { throw .invalidBits(bits) }
    }

    /// The network with every dense and convolutional weight tensor quantised.
    public func apply(to network: Network) throws(CompressionError) -> Network {
        try validate()
        return try network.mappingWeights(step: "quantisation") { tensor in
            var values = tensor.values
            let groups = granularity == .perChannel ? (0..<tensor.channels).map(tensor.channelRange)
                : [values.indices]
            for range in groups { quantize(&values[range]) }
            return values
        }
    }

    /// Quantises one group of weights in place.
    func quantize(_ group: inout ArraySlice<Double>) {
        switch scheme {
        case let .uniform(bits): Self.uniform(&group, bits: bits)
        case .ternary: Self.ternary(&group)
        case let .powerOfTwo(bits): Self.powerOfTwo(&group, bits: bits)
        }
    }

    static func uniform(_ group: inout ArraySlice<Double>, bits: Int) {
        let levels = Double((1 << (bits - 1)) - 1)
        let peak = group.reduce(0) { max($0, abs($1)) }
        guard peak > 0 else { return }
        let s = peak / levels
        for i in group.indices { group[i] = float32Rounded(s * min(levels, max(-levels, (group[i] / s).rounded()))) }
    }

    static func ternary(_ group: inout ArraySlice<Double>) {
        guard !group.isEmpty else { return }
        let delta = 0.7 * group.reduce(0) { $0 + abs($1) } / Double(group.count)
        let positive = group.filter { $0 > delta }, negative = group.filter { $0 < -delta }
        let up = float32Rounded(positive.reduce(0, +) / Double(max(1, positive.count)))
        let down = float32Rounded(negative.reduce(0, +) / Double(max(1, negative.count)))
        for i in group.indices { group[i] = group[i] > delta ? up : (group[i] < -delta ? down : 0) }
    }

    static func powerOfTwo(_ group: inout ArraySlice<Double>, bits: Int) {
        let peak = group.reduce(0) { max($0, abs($1)) }
        guard peak > 0 else { return }
        let top = log2(peak).rounded(), bottom = top - Double((1 << (bits - 1)) - 2)
        for i in group.indices where group[i] != 0 {
            let e = min(top, log2(abs(group[i])).rounded())
            group[i] = e < bottom ? 0 : float32Rounded(group[i] < 0 ? -exp2(e) : exp2(e))
        }
    }
}
