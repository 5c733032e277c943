public import Network
import Tensor

/// Loads a network from a model file, choosing the format by extension.
public enum NetworkLoader {
    /// File extensions ``load(path:)`` understands (lower case, without the dot).
    public static let supportedExtensions = ["onnx", "nnet"]

    /// Loads `.onnx` (``ONNXImporter``) or `.nnet` (``NNetReader``; the network maps raw inputs to raw outputs and
    /// clips them to the file's input range first, ``Network/inputClamp``) files.
    /// - Throws: ``ONNXError``; ``ONNXError/unreadable(file:reason:)`` for a path that cannot be read (whatever
    ///   its extension: a directory, a missing file), ``ONNXError/unknownFormat(file:)`` for other extensions.
    public static func load(path: String) throws(ONNXError) -> Network {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "onnx": return try ONNXImporter.load(path: path)
        case "nnet": return try NNetReader.load(path: path).network
        default:
            do {
                try FileContents.checkReadable(atPath: path)
            } catch {
                throw .unreadable(file: path, reason: error.reason)
            }
            throw .unknownFormat(file: path)
        }
    }

    /// Loads a network as ``load(path:)`` does, together with the independent evaluator of the same file that
    /// counterexamples are replayed on: for `.onnx`, the ``GraphInterpreter`` of the model (decoded once, so both
    /// read the same `ModelProto`); for `.nnet`, nil (there is no graph other than the network itself).
    /// - Throws: ``ONNXError`` when the network cannot be loaded, or the interpreter cannot execute the graph.
    public static func loadWithReference(path: String) throws(ONNXError) -> (
        network: Network, reference: (any ReferenceEvaluator)?
    ) {
        let loaded = try loadWithReference(path: path, tapping: [])
        return (loaded.network, loaded.reference)
    }

    /// ``loadWithReference(path:)`` keeping the ONNX tensors `hidden` (a query's hidden nodes) as outputs of
    /// prefixes of the network's layers: `taps[k]` layers compute `hidden[k]`. Only `.onnx` files name tensors.
    public static func loadWithReference(path: String, tapping hidden: [String]) throws(ONNXError) -> (
        network: Network, reference: (any ReferenceEvaluator)?, taps: [Int]
    ) {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard ext == "onnx" else {
            guard hidden.isEmpty else {
                throw .invalidGraph(file: path, reason: "hidden nodes name ONNX tensors; a .\(ext) file has none")
            }
            return (try load(path: path), nil, [])
        }
        let model = try ONNXImporter.model(from: try ONNXImporter.contents(of: path), fileName: path)
        let (network, taps) = try ONNXImporter.network(from: model, fileName: path, tapping: hidden)
        return (network, try GraphInterpreter(model: model, file: path, tapping: hidden), taps)
    }
}
