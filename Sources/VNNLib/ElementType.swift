import Foundation

/// The element type of a VNN-LIB 2 variable: the ONNX "Set 1" tensor types plus `real`.
///
/// VNN-LIB 1 variables are all `real`. Parsing accepts the capitalised `Real` of VNN-LIB 1 and of the
/// `VNNLIB/Benchmarks` v2 files as `real`.
public enum ElementType: String, Sendable, Hashable, CaseIterable {
    /// Mathematical reals: the solver may treat the network as a function over ℝ.
    case real
    case float16, float32, float64, bfloat16
    case float8e4m3fn, float8e4m3fnuz, float8e5m2, float8e5m2fnuz
    case float4e2m1
    case int4, int8, int16, int32, int64
    case uint4, uint8, uint16, uint32, uint64
    case complex64, complex128
    case bool
    case string

    /// The type named `name` (`Real` is accepted for `real`); nil for unknown names.
    public init?(name: String) {
        if name == "Real" {
            self = .real
        } else {
            self.init(rawValue: name)
        }
    }

    /// The values of an 8- to 64-bit integer type (the upper end of the 64-bit ones rounded down to a Double); nil
    /// for the other types.
    public var integerRange: ClosedRange<Double>? {
        guard let (bits, signed) = integerLayout else { return nil }
        let top = pow(2, Double(signed ? bits - 1 : bits))  // exact
        return (signed ? -top : 0)...(top - 1 < top ? top - 1 : top.nextDown)
    }

    /// The width in bits and signedness of an 8- to 64-bit integer type; nil for the other types.
    public var integerLayout: (bits: Int, signed: Bool)? {
        switch self {
        case .int8: (8, true)
        case .int16: (16, true)
        case .int32: (32, true)
        case .int64: (64, true)
        case .uint8: (8, false)
        case .uint16: (16, false)
        case .uint32: (32, false)
        case .uint64: (64, false)
        default: nil
        }
    }

    /// `value` rounded and clamped to this integer type's range (``integerRange``), as an Int64: how an integer
    /// variable's assignment is printed and serialised (a Float32 forward pass may round a large constant past
    /// the range's end).
    public func integerValue(_ value: Double) -> Int64 {
        guard let range = integerRange ?? Self.int64.integerRange, !value.isNaN else { return 0 }
        return Int64(min(max(value.rounded(), range.lowerBound), range.upperBound))
    }

    /// True for `real` and the floating-point types.
    public var isRealValued: Bool {
        switch self {
        case .real, .float16, .float32, .float64, .bfloat16, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2,
            .float8e5m2fnuz, .float4e2m1:
            return true
        default:
            return false
        }
    }
}
