public import Foundation

/// The versioned JSON file of a trained ``GNNModel``:
///
/// ```json
/// {"format": "nncert-gnn-model", "formatVersion": 1, "featureSet": "nncert-gnn-features-1",
///  "embedding": 64, "rounds": 2, "normalisation": {"mean": [[…],[…],[…]], "deviation": […]},
///  "parameters": [… GNNModel.Layout order …],
///  "recipe": {"data": […], "epochs": 30, "seed": 1, "command": "nncert branching train …", …}}
/// ```
///
/// Loading checks the format name and version, the feature set, the parameter count and that every number is
/// finite; each failure is a ``BranchingError/badModel(path:problem:)`` naming the file.
public struct GNNModelFile: Sendable, Codable, Hashable {
    /// How a model was made.
    public struct Recipe: Sendable, Codable, Hashable {
        /// The data files it was trained on.
        public var data: [String]
        /// Training epochs.
        public var epochs: Int
        /// The shuffling and initialisation seed.
        public var seed: UInt64
        /// The command that made it.
        public var command: String
        /// Training examples (BaB nodes) used, and held out.
        public var trainingExamples: Int
        /// Held-out examples.
        public var heldOutExamples: Int
        /// Final held-out top-1 accuracy.
        public var heldOutTop1: Double?
        /// Training wall-clock seconds.
        public var seconds: Double?

        /// A recipe from its parts.
        public init(
            data: [String], epochs: Int, seed: UInt64, command: String, trainingExamples: Int = 0,
            heldOutExamples: Int = 0, heldOutTop1: Double? = nil, seconds: Double? = nil
        ) {
            self.data = data
            self.epochs = epochs
            self.seed = seed
            self.command = command
            self.trainingExamples = trainingExamples
            self.heldOutExamples = heldOutExamples
            self.heldOutTop1 = heldOutTop1
            self.seconds = seconds
        }
    }

    /// The format's name.
    public static let formatName = "nncert-gnn-model"
    /// The format version this build reads and writes.
    public static let currentVersion = 1

    /// Always ``formatName``.
    public var format: String
    /// The format version.
    public var formatVersion: Int
    /// The feature set the model was trained with (``GraphFeatures/featureSet``).
    public var featureSet: String
    /// The embedding size `p`.
    public var embedding: Int
    /// Message-passing rounds `T`.
    public var rounds: Int
    /// The feature normalisation.
    public var normalisation: GNNModel.Normalisation
    /// All weights, in ``GNNModel/Layout`` order.
    public var parameters: [Double]
    /// How the model was made.
    public var recipe: Recipe

    /// The file of `model`.
    public init(model: GNNModel, recipe: Recipe) {
        format = Self.formatName
        formatVersion = Self.currentVersion
        featureSet = GraphFeatures.featureSet
        embedding = model.embedding
        rounds = model.rounds
        normalisation = model.normalisation
        parameters = model.parameters
        self.recipe = recipe
    }

    /// The model, after checking the file's consistency. `path` names the file in errors.
    public func model(path: String) throws(BranchingError) -> GNNModel {
        func bad(_ problem: String) -> BranchingError { .badModel(path: path, problem: problem) }
        guard format == Self.formatName else { throw bad("not an nncert GNN model (format \"\(format)\")") }
        guard formatVersion == Self.currentVersion else {
            throw bad("model format version \(formatVersion); this nncert reads version \(Self.currentVersion)")
        }
        guard featureSet == GraphFeatures.featureSet else {
            throw bad("trained on feature set \"\(featureSet)\"; this nncert computes \"\(GraphFeatures.featureSet)\"")
        }
        guard (1...1024).contains(embedding), (0...16).contains(rounds) else {
            throw bad("embedding size \(embedding) or rounds \(rounds) out of range")
        }
        let expected = GNNModel.Layout(p: embedding).count
        guard parameters.count == expected else {
            throw bad("\(parameters.count) parameters; embedding size \(embedding) needs \(expected)")
        }
        guard parameters.allSatisfy(\.isFinite) else { throw bad("a parameter is not a finite number") }
        for t in 0..<3 {
            let w = GraphFeatures.width(type: t)
            guard normalisation.mean.count == 3, normalisation.deviation.count == 3, normalisation.mean[t].count == w,
                normalisation.deviation[t].count == w,
                (normalisation.mean[t] + normalisation.deviation[t]).allSatisfy(\.isFinite)
            else { throw bad("the normalisation does not match the feature set") }
        }
        return GNNModel(embedding: embedding, rounds: rounds, normalisation: normalisation, parameters: parameters)
    }

    /// The JSON encoding (sorted keys).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Writes the file.
    public func write(to path: String) throws(BranchingError) {
        do {
            try encoded().write(to: URL(fileURLWithPath: path))
        } catch {
            throw .badModel(path: path, problem: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Decodes a model file's bytes; `path` names the file in errors.
    public static func decode(_ data: Data, path: String) throws(BranchingError) -> GNNModelFile {
        // Format and version first, so that a file of another version is reported as such, whatever its fields.
        struct Header: Decodable { var format: String?; var formatVersion: Int? }
        if let header = try? JSONDecoder().decode(Header.self, from: data) {
            if let format = header.format, format != formatName {
                throw .badModel(path: path, problem: "not an nncert GNN model (format \"\(format)\")")
            }
            if let version = header.formatVersion, version != currentVersion {
                throw .badModel(
                    path: path, problem: "model format version \(version); this nncert reads version \(currentVersion)")
            }
        }
        do {
            return try JSONDecoder().decode(GNNModelFile.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .badModel(path: path, problem: "not valid JSON (truncated or corrupt): \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw .badModel(path: path, problem: "missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .badModel(path: path, problem: "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw .badModel(path: path, problem: "cannot decode: \(error)")
        }
    }

    /// Reads and checks a model file.
    public static func load(path: String) throws(BranchingError) -> GNNModel {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .badModel(path: path, problem: "cannot read the file")
        }
        return try decode(data, path: path).model(path: path)
    }

    /// The model bundled with nncert (`Resources/gnn-default.json`), loaded once.
    public static func bundled() throws(BranchingError) -> GNNModel {
        switch bundledModel {
        case .success(let m): return m
        case .failure(let e): throw e
        }
    }

    private static let bundledModel: Result<GNNModel, BranchingError> = {
        guard let path = bundledModelPath() else {
            return .failure(.badModel(
                path: "gnn-default.json",
                problem: "the bundled model is missing: keep the folder nncert_Branching.resources beside the nncert "
                    + "executable, or give a model file with --branching gnn:MODEL"))
        }
        return Result { () throws(BranchingError) in try load(path: path) }
    }()

    /// Where the bundled model is: in the resource folder SwiftPM puts beside the executable (also beside the
    /// symlink's target), else in the source tree this was built from. Never `Bundle.module`, whose accessor stops
    /// the process when neither its install nor its build location exists (a copied binary).
    static func bundledModelPath() -> String? {
        let name = "nncert_Branching.resources/gnn-default.json"
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        var candidates = [
            Bundle.main.bundleURL.appendingPathComponent(name).path,
            executable.deletingLastPathComponent().appendingPathComponent(name).path,
            executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path,
        ]
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/gnn-default.json").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
