import Foundation
import Network
import Testing
@testable import Verifier

/// `--proof-cache DIR`: traces keyed by network and property hashes.
struct ProofCacheTests {
    static func temporaryDirectory(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    @Test func missThenHitForThisNetworkThenForACompressedCopy() throws {
        let dir = try Self.temporaryDirectory("proof-cache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = ProofCache(directory: dir + "/cache")
        let problem = try ProofReuseTests.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        #expect(cache.lookup(problem) == nil && !cache.contains(problem), "an empty cache misses")
        let verifier = Verifier(options: VerificationOptions(timeout: 60, search: SearchOptions(workers: 1)))
        let first = try verifier.verify(problem, cache: cache)
        #expect(first.verdict == .proven)
        #expect(first.trace == nil, "the caller did not ask for the trace")
        let own = try #require(cache.lookup(problem))
        #expect(own.isSameNetwork)
        #expect(own.trace.header.origin == SearchTrace.Origin(problem) && own.trace.header.outcome == .proven)
        #expect(try own.trace.decoded().leaves.count > 1)

        let copy = ProofReuseTests.on(problem, try ProofReuseTests.pruned(problem.network, 0.1))
        let foreign = try #require(cache.lookup(copy))
        #expect(!foreign.isSameNetwork && foreign.path == own.path)
        let reused = try verifier.verify(copy, cache: cache)
        #expect(reused.verdict == (try verifier.verify(copy)).verdict)
        #expect(cache.lookup(copy)?.isSameNetwork == true, "the copy's own trace is stored")

        let otherProperty = try ProofReuseTests.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_4.vnnlib")
        #expect(cache.lookup(otherProperty) == nil && !cache.contains(otherProperty), "another property misses")
        #expect(cache.contains(copy))
    }

    @Test func undecidedRunsAreNotStoredAndCorruptEntriesAreSkipped() throws {
        let dir = try Self.temporaryDirectory("proof-cache-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = ProofCache(directory: dir)
        let problem = try ProofReuseTests.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        var trace = SearchTrace()
        trace.origin = SearchTrace.Origin(problem)
        trace.outcome = .timeout
        #expect(try cache.store(trace) == nil, "a timeout is not stored")
        trace.outcome = .proven
        let path = try #require(try cache.store(trace))
        #expect(cache.lookup(problem)?.isSameNetwork == true && cache.contains(problem))
        let header = try #require(try trace.jsonLines().split(separator: "\n").first)
        try (header + "\n{not a node\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(cache.contains(problem), "contains reads the header only")
        #expect(cache.lookup(problem) == nil, "a trace with corrupt nodes is a miss")
        try "{not a trace\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(cache.lookup(problem) == nil && !cache.contains(problem), "a corrupt entry is a miss")
        let verdict = try Verifier(options: VerificationOptions(timeout: 60, search: SearchOptions(workers: 1)))
            .verify(problem, cache: cache).verdict
        #expect(verdict == .proven)
        #expect(cache.lookup(problem)?.trace.header.outcome == .proven, "the corrupt entry is replaced")
        // Node records that do not decode are found when the search starts: the entry is skipped then.
        try ProofReuseTests.corruptProof(of: problem).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(cache.lookup(problem) != nil, "the header and the line count fit")
        let skipped = try Verifier(options: VerificationOptions(timeout: 60, search: SearchOptions(workers: 1)))
            .verify(problem, cache: cache).verdict
        #expect(skipped == .proven)
        #expect(try cache.lookup(problem)?.trace.decoded().nodes.isEmpty == false, "replaced by this run's trace")
    }
}
