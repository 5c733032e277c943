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

        /// The trace's origin, when the header names network, property and inputs.
        public var origin: Origin? {
            guard let network, let property, let inputs else { return nil }
            return Origin(network: network, property: property, inputs: inputs)
        }
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
        self = try Lines(text).decoded()
    }

    /// A trace's JSON lines read in two steps: the header at once, the node records when they are needed.
    ///
    /// A long proof's trace holds tens of thousands of nodes (megabytes, about 20 µs a node to decode); a run that
    /// reuses it may not need them — a compressed copy whose counterexample falls to the first sampling, say
    /// (``Verifier/verify(_:reusing:)-(_,SearchTrace.Lines)``). Reading checks the header (schema, version) and
    /// that the file holds as many node lines as the header announces (a truncated file fails here);
    /// ``decoded()`` decodes the records.
    public struct Lines: Sendable {
        /// The first line.
        public let header: Header
        /// The node lines, not yet decoded.
        private let records: [Substring]

        /// Reads the header of `text` and splits off its node lines.
        /// - Throws: ``TraceError`` for a missing or wrong header, or a line count other than the header's.
        public init(_ text: String) throws(TraceError) {
            // Split the UTF-8 bytes, not the Characters (grapheme breaking costs more than the decoding).
            let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            guard let first = lines.first else {
                throw TraceError(line: 1, problem: "not an nncert search trace (no header line)")
            }
            let header = try Header(line: Data(first))
            guard lines.count - 1 == header.nodes else {
                throw TraceError(
                    line: lines.count + 1,
                    problem: "the header announces \(header.nodes) nodes, the file holds \(lines.count - 1)")
            }
            self.header = header
            records = lines.dropFirst().map { Substring($0) }
        }

        /// The trace, with every node record decoded.
        /// - Throws: ``TraceError`` naming the first malformed line.
        public func decoded() throws(TraceError) -> SearchTrace {
            let decoder = SearchTrace.decoder()
            var trace = SearchTrace()
            trace.origin = header.origin
            trace.outcome = header.outcome
            trace.witness = header.witness
            // One decoding of all records as a JSON array (per-line decoding costs ~40 µs a line in its setup);
            // when that fails, line by line, to name the line.
            if let all = try? decoder.decode([Node].self, from: Data(("[" + records.joined(separator: ",") + "]").utf8)) {
                trace.nodes = all
                return trace
            }
            for (i, line) in records.enumerated() {
                guard let node = try? decoder.decode(Node.self, from: Data(line.utf8)) else {
                    throw TraceError(line: i + 2, problem: "malformed node record")
                }
                trace.nodes.append(node)
            }
            return trace
        }
    }

    /// The decoder of trace lines (infinite bounds are the strings `"inf"` / `"-inf"`).
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
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

extension SearchTrace.Header {
    /// Reads a header line.
    /// - Throws: ``TraceError`` (line 1) when `line` is not an nncert trace header or names another schema
    ///   version.
    public init(line: Data) throws(TraceError) {
        guard let header = try? SearchTrace.decoder().decode(SearchTrace.Header.self, from: line),
            header.schema == "nncert-search-trace"
        else { throw TraceError(line: 1, problem: "not an nncert search trace (no header line)") }
        guard header.version == SearchTrace.version else {
            throw TraceError(
                line: 1, problem: "trace schema version \(header.version); this nncert reads \(SearchTrace.version)")
        }
        self = header
    }
}
