import Foundation

extension SearchTrace {
    /// The first line of a trace file: what it is and which version of the schema it follows.
    public struct Header: Sendable, Codable, Hashable {
        /// Always `nncert-search-trace`.
        public var schema = "nncert-search-trace"
        /// ``SearchTrace/version``.
        public var version = SearchTrace.version
        /// Number of nodes that follow.
        public var nodes: Int
        /// Hashes of the network and the property (optional).
        public var network: String?
        /// See ``network``.
        public var property: String?
        /// The network's number of inputs (optional).
        public var inputs: Int?
        /// How the run ended (optional).
        public var outcome: Outcome?
        /// The run's counterexample (optional).
        public var witness: Witness?
    }

    /// The trace as JSON lines: a ``Header`` line, then one ``Node`` per line in the order the nodes ended.
    /// Infinite bounds are written as the strings `"inf"` / `"-inf"`.
    public func jsonLines() throws -> String {
        let encoder = Self.encoder()
        let header = Header(
            nodes: nodes.count, network: origin?.network, property: origin?.property, inputs: origin?.inputs,
            outcome: outcome, witness: witness)
        var lines = [String(decoding: try encoder.encode(header), as: UTF8.self)]
        lines.reserveCapacity(nodes.count + 1)
        for node in nodes { lines.append(String(decoding: try encoder.encode(node), as: UTF8.self)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a trace written by ``jsonLines()``.
    /// - Throws: ``TraceError`` naming the line for a wrong schema, version or a malformed line.
    public init(jsonLines text: String) throws(TraceError) {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Split the UTF-8 bytes, not the Characters (grapheme breaking costs more than the decoding).
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            .map { String(decoding: $0, as: UTF8.self) }.makeIterator()
        guard let first = lines.next(), let header = try? decoder.decode(Header.self, from: Data(first.utf8)),
            header.schema == "nncert-search-trace"
        else { throw TraceError(line: 1, problem: "not an nncert search trace (no header line)") }
        guard header.version == Self.version else {
            throw TraceError(line: 1, problem: "trace schema version \(header.version); this nncert reads \(Self.version)")
        }
        self.init()
        if let network = header.network, let property = header.property, let inputs = header.inputs {
            origin = Origin(network: network, property: property, inputs: inputs)
        }
        outcome = header.outcome
        witness = header.witness
        let records = Array(lines)
        let number = records.count + 1
        // One decoding of all records as a JSON array (per-line decoding costs ~40 µs a line in its setup);
        // when that fails, line by line, to name the line.
        if let all = try? decoder.decode([Node].self, from: Data(("[" + records.joined(separator: ",") + "]").utf8)) {
            nodes = all
        } else {
            for (i, line) in records.enumerated() {
                guard let node = try? decoder.decode(Node.self, from: Data(line.utf8)) else {
                    throw TraceError(line: i + 2, problem: "malformed node record")
                }
                nodes.append(node)
            }
        }
        guard nodes.count == header.nodes else {
            throw TraceError(line: number, problem: "the header announces \(header.nodes) nodes, the file holds \(nodes.count)")
        }
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

/// A search trace that cannot be read.
public struct TraceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// What is wrong.
    public var problem: String

    /// `line N: problem`.
    public var description: String { "line \(line): \(problem)" }
}
