public import Network
import Tensor

/// A stable 128-bit content hash: the same values give the same hash in every process and on every machine
/// (unlike Swift's `Hasher`, which is seeded per process). ``ProofCache`` keys its entries by it.
///
/// Not cryptographic: two 64-bit lanes, each a multiply–xorshift mix (the SplitMix64 finaliser, Steele et al.
/// 2014) of every 64-bit word fed in, with different seeds and multipliers. Collisions are unlikely (about
/// 2⁻¹²⁸ for random inputs) but can be constructed; nothing depends on them for soundness — a trace found under
/// a wrong key is only a starting point that every proof re-checks (``Verifier/verify(_:reusing:)``).
public struct ContentHash: Sendable, Hashable, CustomStringConvertible {
    private var a: UInt64 = 0x243F_6A88_85A3_08D3
    private var b: UInt64 = 0x1319_8A2E_0370_7344
    private var count: UInt64 = 0

    /// The hash of nothing.
    public init() {}

    /// Feeds one 64-bit word.
    public mutating func combine(_ word: UInt64) {
        count &+= 1
        a = Self.mix(a ^ (word &* 0x9E37_79B9_7F4A_7C15))
        b = Self.mix((b &+ word) &* 0xC2B2_AE3D_27D4_EB4F ^ count)
    }

    /// Feeds an integer.
    public mutating func combine(_ value: Int) { combine(UInt64(bitPattern: Int64(value))) }

    /// Feeds a Double by its bit pattern (so 0.0 and −0.0 differ, and every NaN payload counts).
    public mutating func combine(_ value: Double) { combine(value.bitPattern) }

    /// Feeds the length, then every element.
    public mutating func combine(_ values: [Double]) {
        combine(values.count)
        for v in values { combine(v.bitPattern) }
    }

    /// Feeds the length, then every element.
    public mutating func combine(_ values: [Int]) {
        combine(values.count)
        for v in values { combine(v) }
    }

    /// Feeds the UTF-8 bytes of `text` (with its length).
    public mutating func combine(_ text: String) {
        let bytes = Array(text.utf8)
        combine(bytes.count)
        var i = 0
        while i < bytes.count {
            var word: UInt64 = 0
            for j in i..<Swift.min(i + 8, bytes.count) { word |= UInt64(bytes[j]) << (8 * UInt64(j - i)) }
            combine(word)
            i += 8
        }
    }

    /// Both lanes, finalised, as 32 lowercase hex digits.
    public var description: String {
        let x = Self.mix(a ^ count), y = Self.mix(b ^ (count << 1))
        return Self.hex(x) + Self.hex(y)
    }

    private static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The SplitMix64 finaliser: a bijection on 64-bit words with full avalanche.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ContentHash {
    /// The hash of a network's computation: its input shape, input clipping and every layer's kind, shape and
    /// parameters (bit patterns). Names of the input and output tensors do not count.
    public static func of(_ network: Network) -> ContentHash {
        var h = ContentHash()
        h.combine("network")
        h.combine(network.inputShape)
        if let clamp = network.inputClamp {
            h.combine(clamp.lower)
            h.combine(clamp.upper)
        } else {
            h.combine(-1)
        }
        for layer in network.layers { h.combine(layer) }
        return h
    }

    /// A convolution's geometry and filters (not its bias: a transposed convolution's adjoint has none of its own).
    private mutating func combine(_ c: Conv2D) {
        combine([
            c.inputChannels, c.inputHeight, c.inputWidth, c.outputChannels, c.kernelHeight, c.kernelWidth,
            c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth,
        ])
        combine(c.pads)
        combine(c.weights)
    }

    private mutating func combine(_ layer: Layer) {
        combine(layer.kindName)
        switch layer {
        case let .dense(d):
            combine([d.weights.rows, d.weights.columns])
            combine(d.weights.storage)
            combine(d.bias)
        case let .conv2d(c):
            combine(c)
            combine(c.bias)
        case let .convTranspose(t):
            combine(t.adjoint)
            combine(t.bias)
        case let .elementwise(e):
            combine(e.scale)
            combine(e.shift)
        case let .maxPool(p), let .averagePool(p):
            combine([p.channels, p.inputHeight, p.inputWidth, p.kernelHeight, p.kernelWidth, p.strideHeight,
                     p.strideWidth, p.countIncludePad ? 1 : 0])
            combine(p.pads)
        case let .reshape(shape):
            combine(shape)
        case let .softmax(s):
            combine([s.size])
        case .relu, .sigmoid, .tanh:
            break
        }
    }

    /// The hash of a problem's property: every case's closed input box, exact input region and
    /// output regions (coefficients, bounds, strictness), in order. The network does not count.
    public static func of(_ problem: VerificationProblem) -> ContentHash {
        var h = ContentHash()
        h.combine("property")
        h.combine(problem.cases.count)
        for c in problem.cases {
            h.combine(c.box.lower)
            h.combine(c.box.upper)
            h.combine(c.inputRegion.lower)
            h.combine(c.inputRegion.upper)
            h.combine(c.inputRegion.lowerIsOpen.map { $0 ? 1 : 0 })
            h.combine(c.inputRegion.upperIsOpen.map { $0 ? 1 : 0 })
            h.combine(c.isWindow ? 1 : 0)
            h.combine(c.regions.count)
            for r in c.regions {
                h.combine([r.coefficients.rows, r.coefficients.columns])
                h.combine(r.coefficients.storage)
                h.combine(r.bounds)
                h.combine(r.isStrict.map { $0 ? 1 : 0 })
            }
        }
        h.combine(problem.float16Inputs)
        return h
    }
}
