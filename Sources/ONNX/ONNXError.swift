/// Why a model file could not be read into a ``Network`` (or a network could not be written).
///
/// Every case names the file; node-level cases also name the node (its `name`, or `#index` when the node is
/// unnamed) and its operator type, so that a message points at the place to look in Netron or `onnx.helper`.
public enum ONNXError: Error, Sendable, Equatable {
    /// The file could not be read or written (missing, a directory, permissions); `reason` is the system's
    /// ("No such file or directory").
    case unreadable(file: String, reason: String)
    /// The bytes are not a valid ONNX protobuf (empty, truncated, random data) or lack a graph.
    case malformed(file: String, reason: String)
    /// The model imports an opset of the default domain outside ``ONNXImporter/supportedOpsets``.
    case unsupportedOpset(file: String, version: Int)
    /// A node's operator is not in ``ONNXImporter/supportedOperators`` (or lives in a non-default domain).
    case unsupportedOperator(file: String, node: String, op: String)
    /// A supported operator is used in a way the importer does not handle (an attribute value, a layout).
    case unsupported(file: String, node: String, op: String, reason: String)
    /// A node is inconsistent: a weight that does not fit its input, a missing or ill-typed input or attribute.
    case invalidNode(file: String, node: String, op: String, reason: String)
    /// The graph is not a single chain from one input to one output (two non-constant inputs, a branch, …).
    case notAChain(file: String, node: String, op: String, reason: String)
    /// An initializer or constant tensor is unusable (NaN/∞, unsupported data type, size mismatch, too large).
    case invalidTensor(file: String, name: String, reason: String)
    /// The graph's inputs or outputs are unusable (no real input, several inputs, unknown shape, …).
    case invalidGraph(file: String, reason: String)
    /// A `.nnet` file does not follow the format; `line` is 1-based.
    case malformedNNet(file: String, line: Int, reason: String)
    /// ``NetworkLoader`` does not know the file's extension.
    case unknownFormat(file: String)
    /// ``ONNXExporter`` cannot write the network faithfully (e.g. it clips its inputs, ``Network/inputClamp``).
    case cannotExport(reason: String)
}

extension ONNXError: CustomStringConvertible {
    /// One line naming the file, and the node and operator where there is one, e.g.
    /// `model.onnx: node 'Gemm_3' (Gemm): weight shape [10, 30] does not match input width 20`.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "\(file): \(reason)"
        case let .malformed(file, reason):
            "\(file): not a valid ONNX model: \(reason)"
        case let .unsupportedOpset(file, version):
            "\(file): opset \(version) is not supported (supported: "
                + "\(ONNXImporter.supportedOpsets.lowerBound)…\(ONNXImporter.supportedOpsets.upperBound))"
        case let .unsupportedOperator(file, node, op):
            "\(file): node '\(node)' (\(op)): unsupported operator"
        case let .unsupported(file, node, op, reason):
            "\(file): node '\(node)' (\(op)): unsupported: \(reason)"
        case let .invalidNode(file, node, op, reason):
            "\(file): node '\(node)' (\(op)): \(reason)"
        case let .notAChain(file, node, op, reason):
            "\(file): node '\(node)' (\(op)): the graph is not a single chain: \(reason)"
        case let .invalidTensor(file, name, reason):
            "\(file): tensor '\(name)': \(reason)"
        case let .invalidGraph(file, reason):
            "\(file): \(reason)"
        case let .malformedNNet(file, line, reason):
            "\(file):\(line): \(reason)"
        case let .unknownFormat(file):
            "\(file): unknown network format (expected a .onnx or .nnet file)"
        case let .cannotExport(reason):
            "cannot export the network to ONNX: \(reason)"
        }
    }
}
