public import Bounds
public import Foundation
import Network
import Synchronization

/// Training data for the GNN as JSON lines: a header line
/// `{"format": "nncert-gnn-data", "version": 1, "featureSet": …, "networks": [paths]}` and then one line per
/// branch-and-bound node, `{"n": network, "g": group, "f": [[features per graph layer, Float32]],
/// "c": [[layer, neuron]…], "s": [strong-branching scores], "b": [BaBSR scores]}`. A group is one property run
/// (held-out sets take whole groups, so that sibling nodes do not leak between training and held-out).
public enum GNNDataFile {
    /// The format's name.
    public static let formatName = "nncert-gnn-data"
    /// The version this build reads and writes.
    public static let currentVersion = 1

    /// The header line.
    public struct Header: Sendable, Codable, Hashable {
        /// Always ``GNNDataFile/formatName``.
        public var format: String
        /// The format version.
        public var version: Int
        /// The feature set the features were computed with.
        public var featureSet: String
        /// The network files, indexed by the examples' `n`.
        public var networks: [String]

        /// The header of a file of `networks`.
        public init(networks: [String]) {
            format = GNNDataFile.formatName
            version = GNNDataFile.currentVersion
            featureSet = GraphFeatures.featureSet
            self.networks = networks
        }
    }

    struct Line: Codable {
        var n: Int
        var g: Int
        var f: [[Float]]
        var c: [NeuronID]
        var s: [Double]
        var b: [Double]
    }

    /// One example as a line (no newline).
    public static func line(_ e: GNNTrainingExample, group: Int) throws -> Data {
        let l = Line(
            n: e.network, g: group, f: e.features.layers.map { $0.map { Float($0) } }, c: e.candidates,
            s: e.scores.map { $0.isFinite ? $0 : -1e300 }, b: e.babsr.map { $0.isFinite ? $0 : -1e300 })
        return try JSONEncoder().encode(l)
    }

    /// The header and the examples (with their groups) of a data file.
    public static func read(path: String) throws(BranchingError) -> (Header, [(example: GNNTrainingExample, group: Int)]) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .badData(path: path, line: 0, problem: "cannot read the file")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let first = lines.first else { throw .badData(path: path, line: 0, problem: "empty file") }
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: Data(first)), header.format == formatName else {
            throw .badData(path: path, line: 1, problem: "not an nncert GNN data file (no header line)")
        }
        guard header.version == currentVersion else {
            throw .badData(path: path, line: 1, problem: "data format version \(header.version); this nncert reads \(currentVersion)")
        }
        guard header.featureSet == GraphFeatures.featureSet else {
            throw .badData(path: path, line: 1, problem: "feature set \"\(header.featureSet)\"; this nncert computes \"\(GraphFeatures.featureSet)\"")
        }
        var out: [(GNNTrainingExample, Int)] = []
        for (i, bytes) in lines.dropFirst().enumerated() {
            guard let l = try? decoder.decode(Line.self, from: Data(bytes)) else {
                throw .badData(path: path, line: i + 2, problem: "not a data line (truncated or corrupt)")
            }
            guard header.networks.indices.contains(l.n), l.c.count == l.s.count else {
                throw .badData(path: path, line: i + 2, problem: "network index or candidate count out of range")
            }
            out.append((GNNTrainingExample(
                network: l.n, features: GraphFeatures(layers: l.f.map { $0.map { Double($0) } }), candidates: l.c,
                scores: l.s, babsr: l.b.count == l.c.count ? l.b : []), l.g))
        }
        return (header, out)
    }
}

/// Strong branching that records each node's features and the scores of the candidates it evaluated into a
/// data file (`nncert branching collect`); once ``GNNDataRecorder/limit`` nodes are recorded it branches by BaBSR.
public struct RecordingHeuristic: BranchingHeuristic {
    /// The expert.
    public var expert: StrongBranching
    /// Where examples go.
    public let recorder: GNNDataRecorder
    /// The group (property run) of this run's examples.
    public var group: Int

    /// A recording heuristic.
    public init(expert: StrongBranching, recorder: GNNDataRecorder, group: Int) {
        self.expert = expert
        self.recorder = recorder
        self.group = group
    }

    /// Strong branching's scores, recorded (BaBSR's once the recorder is full).
    public func score(_ candidates: [NeuronID], context: BranchingContext) -> [Double] {
        let babsr = BaBSR().score(candidates, context: context)
        guard !recorder.isFull else { return babsr }
        let scores = expert.score(candidates, context: context)
        let evaluated = candidates.indices.filter { scores[$0] > -1e11 }
        if evaluated.count >= 2 {
            let graph = recorder.graph(context.network)
            let example = GNNTrainingExample(
                network: 0, features: GraphFeatures(context: context, graph: graph),
                candidates: evaluated.map { candidates[$0] }, scores: evaluated.map { scores[$0] },
                babsr: evaluated.map { babsr[$0] })
            recorder.record(example, group: group)
        }
        return scores
    }
}

/// A lock-protected sink of examples writing JSON lines to a file handle, shared by the search's workers.
public final class GNNDataRecorder: Sendable {
    private struct Inner {
        var count = 0
        var graph: GNNGraph?
        var failure: String?
    }
    private let inner = Mutex(Inner())
    private let handle: FileHandle
    /// Examples to record at most (over all runs).
    public let limit: Int

    /// A recorder appending to `handle`, at most `limit` examples.
    public init(handle: FileHandle, limit: Int) {
        self.handle = handle
        self.limit = limit
    }

    /// Examples recorded.
    public var count: Int { inner.withLock { $0.count } }
    /// True once ``limit`` examples are recorded.
    public var isFull: Bool { inner.withLock { $0.count >= limit } }
    /// The first write error, if any.
    public var failure: String? { inner.withLock { $0.failure } }

    /// The graph of the (one) network being collected on.
    func graph(_ network: Network) -> GNNGraph {
        if let g = inner.withLock({ $0.graph }) { return g }
        let g = GNNGraph(network: network)
        inner.withLock { $0.graph = g }
        return g
    }

    /// Appends one example (dropped once full).
    public func record(_ example: GNNTrainingExample, group: Int) {
        guard var data = try? GNNDataFile.line(example, group: group) else { return }
        data.append(UInt8(ascii: "\n"))
        inner.withLock { s in
            guard s.count < limit else { return }
            do { try handle.write(contentsOf: data) } catch { s.failure = s.failure ?? "\(error)" }
            s.count += 1
        }
    }
}
