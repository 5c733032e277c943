public import Foundation

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
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
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
        var number = 1
        while let line = lines.next() {
            number += 1
            do {
                nodes.append(try decoder.decode(Node.self, from: Data(line.utf8)))
            } catch {
                throw TraceError(line: number, problem: "malformed node record")
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
