import Foundation

/// A constant (initializer, `Constant` node output or folded value): a shape and row-major values as `Double`.
///
/// Integer tensors (shapes, axes, indices) are held as `Double` too; every integer that appears in a supported
/// model is far below 2^53, so the conversion is exact.
struct ConstantTensor: Equatable {
    /// Dimensions; `[]` for a scalar.
    var shape: [Int]
    /// `shape.product` values, row-major.
    var values: [Double]

    /// Largest number of elements any tensor (constant or activation) may have. A corrupted file can declare
    /// huge dimensions; sizes are checked against this cap before anything is allocated.
    static let maximumElementCount = 100_000_000

    /// The ONNX `TensorProto.DataType` codes the importer reads.
    enum DataType: Int32 {
        case float = 1, int32 = 6, int64 = 7, double = 11

        static func name(of code: Int32) -> String {
            let names: [Int32: String] = [
                0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64",
                8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64",
                15: "COMPLEX128", 16: "BFLOAT16",
            ]
            return names[code] ?? "type \(code)"
        }
    }

    init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    /// A scalar.
    init(scalar: Double) { self.init(shape: [], values: [scalar]) }

    /// The element count of `dims`, or `nil` when a dimension is negative or the count exceeds
    /// ``maximumElementCount`` (checked without overflow).
    static func elementCount<S: Sequence>(_ dims: S) -> Int? where S.Element: BinaryInteger {
        var count = 1
        for d in dims {
            guard d >= 0, d <= maximumElementCount else { return nil }
            count *= Int(d)
            if count > maximumElementCount { return nil }
        }
        return count
    }

    /// Decodes a `TensorProto`; the thrown string is the reason, the caller adds the file and tensor name.
    ///
    /// Reads `raw_data` (packed little-endian) when present, else the typed field (`float_data`, `double_data`,
    /// `int64_data`, `int32_data`). Float tensors must be finite.
    init(proto: Onnx_TensorProto) throws(ReasonError) {
        if proto.hasSegment { throw ReasonError("segmented tensors are not supported") }
        if proto.dataLocation == .external { throw ReasonError("external data is not supported") }
        guard let count = Self.elementCount(proto.dims) else {
            throw ReasonError(
                "invalid or too large dimensions \(proto.dims) (at most \(Self.maximumElementCount) elements)")
        }
        guard let type = DataType(rawValue: proto.dataType) else {
            throw ReasonError(
                "unsupported data type \(DataType.name(of: proto.dataType)) (supported: FLOAT, DOUBLE, INT64, INT32)")
        }
        let shape = proto.dims.map { Int($0) }
        var values: [Double]
        if proto.hasRawData {
            let width = type == .float || type == .int32 ? 4 : 8
            let raw = proto.rawData
            guard raw.count == count * width else {
                throw ReasonError("raw_data holds \(raw.count) bytes, shape \(shape) needs \(count * width)")
            }
            values = raw.withUnsafeBytes { buffer in
                (0..<count).map { i -> Double in
                    switch type {
                    case .float:
                        Double(
                            Float(
                                bitPattern: UInt32(
                                    littleEndian: buffer.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                    case .int32:
                        Double(Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                    case .double:
                        Double(
                            bitPattern: UInt64(
                                littleEndian: buffer.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                    case .int64:
                        Double(Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                    }
                }
            }
        } else {
            switch type {
            case .float: values = proto.floatData.map(Double.init)
            case .double: values = proto.doubleData
            case .int64: values = proto.int64Data.map(Double.init)
            case .int32: values = proto.int32Data.map(Double.init)
            }
            guard values.count == count else {
                throw ReasonError("holds \(values.count) values, shape \(shape) needs \(count)")
            }
        }
        if !values.allSatisfy(\.isFinite) { throw ReasonError("contains NaN or infinity") }
        self.init(shape: shape, values: values)
    }

    var count: Int { values.count }

    /// The values as integers (shapes, axes); `nil` if one is not an integer of reasonable size.
    var integers: [Int]? {
        var result: [Int] = []
        result.reserveCapacity(values.count)
        for v in values {
            guard v == v.rounded(), abs(v) <= Double(1 << 53) else { return nil }
            result.append(Int(v))
        }
        return result
    }

    /// Row-major strides of `shape`.
    static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for k in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[k] = s
            s *= shape[k]
        }
        return strides
    }

    /// The numpy broadcast of two shapes, or `nil` when they are incompatible.
    static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result: [Int] = []
        for k in 0..<rank {
            let da = k < rank - a.count ? 1 : a[k - (rank - a.count)]
            let db = k < rank - b.count ? 1 : b[k - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else { return nil }
            result.append(da == 1 ? db : da)
        }
        return result
    }

    /// The values broadcast to `target` (which must be a broadcast of `shape`), row-major.
    func expanded(to target: [Int]) -> [Double]? {
        guard target.count >= shape.count, let n = Self.elementCount(target) else { return nil }
        let offset = target.count - shape.count
        for k in 0..<shape.count where shape[k] != 1 && shape[k] != target[k + offset] { return nil }
        if shape.reduce(1, *) == n { return values }
        let sourceStrides = Self.strides(of: shape)
        var strides = [Int](repeating: 0, count: target.count)
        for k in 0..<shape.count where shape[k] != 1 { strides[k + offset] = sourceStrides[k] }
        return gather(shape: target, strides: strides)
    }

    /// The values read at every index of `shape` (row-major) through `strides` into ``values``: a strided view
    /// (broadcast: stride 0; transpose: permuted strides) materialised.
    private func gather(shape: [Int], strides: [Int]) -> [Double] {
        let n = shape.reduce(1, *)
        var result = [Double](repeating: 0, count: n)
        var index = [Int](repeating: 0, count: shape.count)
        for i in 0..<n {
            var source = 0
            for k in 0..<shape.count { source += index[k] * strides[k] }
            result[i] = values[source]
            var k = shape.count - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < shape[k] { break }
                index[k] = 0
                k -= 1
            }
        }
        return result
    }

    /// Elementwise binary operation with numpy broadcasting.
    static func broadcasting(_ a: ConstantTensor, _ b: ConstantTensor, _ op: (Double, Double) -> Double)
        -> ConstantTensor?
    {
        guard let shape = broadcastShape(a.shape, b.shape), let x = a.expanded(to: shape), let y = b.expanded(to: shape)
        else { return nil }
        return ConstantTensor(shape: shape, values: zip(x, y).map(op))
    }

    /// The tensor with its axes permuted (`perm[k]` is the source axis of result axis `k`).
    func transposed(_ perm: [Int]) -> ConstantTensor {
        let newShape = perm.map { shape[$0] }
        let sourceStrides = Self.strides(of: shape)
        let strides = perm.map { sourceStrides[$0] }
        return ConstantTensor(shape: newShape, values: gather(shape: newShape, strides: strides))
    }
}

/// A bare reason, thrown by helpers that do not know the file or node; the importer wraps it in ``ONNXError``.
struct ReasonError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
