import Foundation
import Tensor

/// A directory of search traces keyed by content hashes of the network and the property, so that repeated runs
/// — `verify --proof-cache DIR`, a CI gate, `compare` of an original and its compressed copies — start from
/// earlier proofs instead of from scratch.
///
/// Layout: `DIR/<property hash>/<network hash>.jsonl`, each file a trace in the JSON-lines schema
/// (``SearchTrace/jsonLines()``) whose header carries its ``SearchTrace/Origin``. The hashes are
/// ``ContentHash``es (non-cryptographic, 128 bits) of the network's layers and parameters and of the
/// normalised property (boxes and output regions), not of file bytes: a model re-exported with the same weights
/// finds its entry.
///
/// ``lookup(_:)`` returns the trace of this network if there is one (a replay), else the newest decided trace of
/// the same property on another network with as many inputs (a reuse source, e.g. the original of a pruned
/// copy). The cache is advisory: entries are only ever starting points of ``Verifier/verify(_:reusing:)``,
/// which re-proves everything on the network at hand, so a stale, colliding, corrupt or tampered entry costs
/// time and never soundness. Unreadable entries are skipped: ``lookup(_:)`` passes over a file whose header does not
/// fit or whose line count is not the header's, and a trace whose node records do not decode when the verifier
/// first needs them (after its falsification) is dropped for a search from scratch
/// (``Verifier/verify(_:cache:fallback:)``).
///
/// ```swift
/// let cache = ProofCache(directory: "proofs")
/// let result = try Verifier(options: options).verify(problem, cache: cache)
/// ```
public struct ProofCache: Sendable {
    /// The cache directory (created on the first ``store(_:)``).
    public var directory: String

    /// A cache in `directory`.
    public init(directory: String) { self.directory = directory }

    /// A trace found in the cache.
    public struct Entry: Sendable {
        /// The trace, its header read and its nodes not yet decoded (``SearchTrace/Lines``).
        public var trace: SearchTrace.Lines
        /// True when it was recorded on the very network looked up (a replay); false for another network's proof
        /// of the same property.
        public var isSameNetwork: Bool
        /// Its file.
        public var path: String
    }

    /// The best trace to start `problem` from, or nil when the cache holds none for its property.
    public func lookup(_ problem: VerificationProblem) -> Entry? {
        let origin = SearchTrace.Origin(problem)
        for (path, isSameNetwork) in candidates(for: origin) {
            guard let trace = Self.read(path), let property = trace.header.property, property == origin.property,
                let network = trace.header.network, trace.header.inputs == origin.inputs
            else { continue }
            let outcome = trace.header.outcome
            if isSameNetwork ? network == origin.network : outcome == .proven || outcome == .violated {
                return Entry(trace: trace, isSameNetwork: isSameNetwork, path: path)
            }
        }
        return nil
    }

    /// True when some entry's header fits `problem` as ``lookup(_:)`` would take it, read from the files' first
    /// lines only (a trace of a long proof is megabytes; a caller that only asks whether to seed the cache need
    /// not decode it). An entry whose header fits but whose line count is not the header's counts here and not
    /// in ``lookup(_:)``.
    public func contains(_ problem: VerificationProblem) -> Bool {
        !candidates(for: SearchTrace.Origin(problem)).isEmpty
    }

    /// The entries whose headers fit `origin`, in ``lookup(_:)``'s order: this network's own trace, then the
    /// decided traces of other networks with as many inputs, newest first; with whether each is this network's.
    private func candidates(for origin: SearchTrace.Origin) -> [(path: String, isSameNetwork: Bool)] {
        let folder = folder(property: origin.property)
        let own = folder + "/" + origin.network + ".jsonl"
        var result: [(path: String, isSameNetwork: Bool)] = []
        if let h = Self.header(own), h.network == origin.network, h.property == origin.property,
            h.inputs == origin.inputs
        {
            result.append((own, true))
        }
        for path in Self.newestFirst(in: folder) where path != own {
            guard let h = Self.header(path), h.property == origin.property, h.inputs == origin.inputs,
                h.outcome == .proven || h.outcome == .violated
            else { continue }
            result.append((path, false))
        }
        return result
    }

    /// Stores `trace` under its origin's hashes, replacing an earlier trace of the same network and property
    /// (atomically: readers see the old file or the new one). Only decided runs are kept — a trace whose outcome
    /// is ``SearchTrace/Outcome/proven`` or ``SearchTrace/Outcome/violated`` — so a timeout never replaces a proof.
    /// - Returns: the file written, or nil when the trace was not stored (no origin, or undecided).
    /// - Throws: ``ProofCacheError`` when the directory or the file cannot be written.
    @discardableResult
    public func store(_ trace: SearchTrace) throws(ProofCacheError) -> String? {
        guard let origin = trace.origin, trace.outcome == .proven || trace.outcome == .violated else { return nil }
        let folder = folder(property: origin.property)
        let path = folder + "/" + origin.network + ".jsonl"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try trace.jsonLines().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ProofCacheError(path: path, reason: (error as NSError).localizedDescription)
        }
        return path
    }

    private func folder(property: String) -> String { directory + "/" + property }

    /// The header of the trace at `path`, from its first line only.
    private static func header(_ path: String) -> SearchTrace.Header? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var line = Data()
        while line.count < maximumHeaderBytes, let chunk = try? handle.read(upToCount: 4096), !chunk.isEmpty {
            if let end = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                line.append(chunk[chunk.startIndex..<end])
                break
            }
            line.append(chunk)
        }
        return try? SearchTrace.Header(line: line)
    }

    /// A header line longer than this (a witness of a very large input) is not read as a header.
    private static let maximumHeaderBytes = 64 << 20

    private static func read(_ path: String) -> SearchTrace.Lines? {
        guard let data = try? FileContents.read(atPath: path) else { return nil }
        return try? SearchTrace.Lines(String(decoding: data, as: UTF8.self))
    }

    /// The `.jsonl` files of `folder`, most recently modified first.
    private static func newestFirst(in folder: String) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return [] }
        let dated = names.filter { $0.hasSuffix(".jsonl") }.map { name -> (String, Date) in
            let path = folder + "/" + name
            let date = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            return (path, date)
        }
        return dated.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
    }
}

/// A proof cache entry that cannot be written.
public struct ProofCacheError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// The system's reason.
    public var reason: String

    /// `PATH: reason`.
    public var description: String { "\(path): \(reason)" }
}
