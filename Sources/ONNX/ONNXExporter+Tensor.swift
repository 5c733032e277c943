public import Foundation

extension ONNXExporter {
    /// One ONNX `TensorProto` (float32, `raw_data` little-endian) serialised to bytes: the file format of the
    /// VNN-LIB standard's `--serialise-assignments` (one `<variable>.pb` per variable).
    public static func serializedTensor(name: String, shape: [Int], values: [Float]) -> Data {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map { Int64($0) }
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var raw = Data(capacity: 4 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        tensor.rawData = raw
        return (try? tensor.serializedData()) ?? Data()
    }

    /// One ONNX `TensorProto` of an integer type (`bits` 8, 16, 32 or 64, signed or not; `raw_data`
    /// little-endian two's complement): an integer variable's assignment for `--serialise-assignments`.
    public static func serializedTensor(name: String, shape: [Int], integers: [Int64], bits: Int, signed: Bool) -> Data {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map { Int64($0) }
        let type: Onnx_TensorProto.DataType = switch (bits, signed) {
        case (8, true): .int8
        case (8, false): .uint8
        case (16, true): .int16
        case (16, false): .uint16
        case (32, true): .int32
        case (32, false): .uint32
        case (64, false): .uint64
        default: .int64
        }
        tensor.dataType = Int32(type.rawValue)
        var raw = Data(capacity: bits / 8 * integers.count)
        for v in integers {
            withUnsafeBytes(of: UInt64(bitPattern: v).littleEndian) { raw.append(contentsOf: $0.prefix(bits / 8)) }
        }
        tensor.rawData = raw
        return (try? tensor.serializedData()) ?? Data()
    }
}
