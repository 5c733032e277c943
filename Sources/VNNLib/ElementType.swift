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
