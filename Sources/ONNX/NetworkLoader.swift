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
}
