public import Foundation
public import Network
import SwiftProtobuf
import Tensor

/// Reads an ONNX model into a ``Network``.
///
/// The graph must be a single chain from one input to one output once constants are folded: every node has at
/// most one non-constant input (Concat may repeat it), and that input is the previous node's output (or one output
/// of a Split of it). Affine constants (Add/Sub/Mul/Div,
/// BatchNormalization) fold into the preceding dense, convolution or elementwise layer where there is one.
/// Old IR versions that list initializers as graph inputs are handled (the real input is the one without an
/// initializer). Anything else — an unknown operator, two non-constant inputs, a branch, a weight that does not
/// fit, a NaN weight, a truncated file — throws an ``ONNXError`` that names the file, the node and the operator.
/// Sizes are validated before anything is allocated, so no input file can crash the importer or exhaust memory.
///
/// Complexity: linear in the size of the file (plus one pass over each weight to transpose or fold it).
public enum ONNXImporter {
    /// Operators the importer understands, each in the forms docs/architecture.md ("ONNX import") lists: `Mul`,
    /// `Div` with one constant operand, `Cast` of the data to a float type only, `Shape` and `ConstantOfShape` as
    /// constants, the data-moving and reducing operators with constant parameters.
    public static let supportedOperators: [String] = [
        "Add", "AveragePool", "BatchNormalization", "Cast", "Concat", "Constant", "ConstantOfShape", "Conv",
        "ConvTranspose", "Div", "Dropout", "Expand", "Flatten", "Gather", "Gemm", "GlobalAveragePool", "Identity",
        "MatMul", "MaxPool", "Mul", "Neg", "ReduceMean", "ReduceSum", "Relu", "Reshape", "Shape", "Sigmoid", "Slice", "Softmax",
        "Split", "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze",
    ]

    /// Opset versions of the default (`ai.onnx`) domain that are accepted. The operators above changed only in
    /// the data types they accept after opset 13, so every opset of onnx 1.23 (up to 28) is read.
    public static let supportedOpsets: ClosedRange<Int> = 1...28

    /// Loads the ONNX file at `path`.
    /// - Throws: ``ONNXError`` (the file name in every message is `path` as given).
    public static func load(path: String) throws(ONNXError) -> Network {
        try network(from: try contents(of: path), fileName: path)
    }

    /// The bytes of the file at `path`.
    static func contents(of path: String) throws(ONNXError) -> Data {
        do {
            return try FileContents.read(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
    }

    /// Decodes a serialized ONNX `ModelProto`.
    /// - Parameters:
    ///   - data: the bytes of an `.onnx` file.
    ///   - fileName: the name used in error messages.
    public static func network(from data: Data, fileName: String = "<memory>") throws(ONNXError) -> Network {
        try network(from: try model(from: data, fileName: fileName), fileName: fileName)
    }

    /// The `ModelProto` in `data` (the one decoding that the importer and ``GraphInterpreter`` share).
    static func model(from data: Data, fileName: String) throws(ONNXError) -> Onnx_ModelProto {
        guard !data.isEmpty else { throw .malformed(file: fileName, reason: "the file is empty") }
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            return try Onnx_ModelProto(serializedBytes: data, options: options)
        } catch {
            throw .malformed(file: fileName, reason: "protobuf decoding failed (\(error))")
        }
    }

    /// Imports a decoded model.
    static func network(from model: Onnx_ModelProto, fileName: String) throws(ONNXError) -> Network {
        try network(from: model, fileName: fileName, tapping: []).network
    }

    /// Imports a decoded model keeping the tensors `hidden` (ONNX names) as outputs of a prefix of its layers:
    /// for each, the number of layers whose output it is. Nothing is folded across such a tensor.
    /// - Throws: ``ONNXError/invalidGraph(file:reason:)`` for a name that is not a tensor of the chain from the
    ///   input (a constant, a side branch, an unknown name).
    static func network(from model: Onnx_ModelProto, fileName: String, tapping hidden: [String])
        throws(ONNXError) -> (network: Network, taps: [Int])
    {
        var importer = try GraphImporter(model: model, file: fileName)
        importer.tapNames = Set(hidden)
        importer.tap(importer.current)
        let network = try importer.run()
        var taps: [Int] = []
        for name in hidden {
            guard let count = importer.taps[name] else {
                throw .invalidGraph(
                    file: fileName,
                    reason: "hidden node '\(name)' is not a tensor on the chain from the input to the output (a "
                        + "constant, a side branch, or no tensor of that name)")
            }
            taps.append(count)
        }
        return (network, taps)
    }
}

extension Network {
    /// Loads a network from an ONNX file; see ``ONNXImporter``.
    public init(onnxFile path: String) throws(ONNXError) {
        self = try ONNXImporter.load(path: path)
    }
}
