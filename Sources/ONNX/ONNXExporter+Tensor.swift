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
}
