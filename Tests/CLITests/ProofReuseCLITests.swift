import Foundation
import Testing

/// `nncert verify --reuse TRACE` and `--proof-cache DIR` through the executable.
struct ProofReuseCLITests {
    static func folder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-reuse-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let net = CLITests.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")
    static let prop = CLITests.prop("acasxu/prop_1.vnnlib")

    @Test func reuseOnAPrunedCopyGivesTheScratchVerdict() throws {
        let dir = try Self.folder("copy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("original.jsonl").path
        let copy = dir.appendingPathComponent("pruned.onnx").path
        let first = try CLITests.run(["verify", Self.net, Self.prop, "--timeout", "60", "--trace", trace])
        #expect(first.status == 0 && first.lines.first == "unsat")
        let header = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").first ?? ""
        #expect(header.contains("\"network\":\"") && header.contains("\"property\":\"") && header.contains("\"outcome\":\"proven\""))
        #expect(try CLITests.run(["compress", Self.net, "--prune", "0.1", "--out", copy]).status == 0)
        let scratch = try CLITests.run(["verify", copy, Self.prop, "--timeout", "60"])
        let reuse = try CLITests.run(["verify", copy, Self.prop, "--timeout", "60", "--reuse", trace])
        #expect(reuse.status == 0 && reuse.lines.first == scratch.lines.first, "\(reuse.stderr)")
        #expect(try CLITests.run(["verify", copy, Self.prop, "--resume", trace, "--reuse", trace]).status != 0)
    }

    @Test func aBadOrForeignTraceIsBadInputNamingTheFile() throws {
        let dir = try Self.folder("bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("trace.jsonl").path
        try "{\"schema\":\"something-else\"}\n".write(toFile: trace, atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["verify", Self.net, Self.prop, "--reuse", trace])
        #expect(bad.status == 2 && bad.stderr.contains("\(trace): line 1:"), "\(bad.stderr)")
        let missing = try CLITests.run(["verify", Self.net, Self.prop, "--reuse", dir.appendingPathComponent("none").path])
        #expect(missing.status == 2 && missing.stderr.contains("none"), "\(missing.stderr)")
        // A trace of property 4 reused for property 1.
        let other = try CLITests.run([
            "verify", Self.net, CLITests.prop("acasxu/prop_4.vnnlib"), "--timeout", "60", "--trace", trace,
        ])
        #expect(other.status == 0)
        let foreign = try CLITests.run(["verify", Self.net, Self.prop, "--reuse", trace])
        #expect(foreign.status == 2 && foreign.stderr.contains("\(trace): search trace: recorded for another property"),
                "\(foreign.stderr)")
    }

    @Test func theProofCacheMissesThenServesTheCompressedCopy() throws {
        let dir = try Self.folder("cache")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache").path
        let copy = dir.appendingPathComponent("quantised.onnx").path
        #expect(try CLITests.run(["compress", Self.net, "--quantize", "8", "--out", copy]).status == 0)
        let miss = try CLITests.run(["verify", Self.net, Self.prop, "--timeout", "60", "--proof-cache", cache])
        #expect(miss.status == 0 && miss.lines.first == "unsat" && !miss.stderr.contains("proof cache"))
        let hit = try CLITests.run(["verify", copy, Self.prop, "--timeout", "60", "--proof-cache", cache])
        #expect(hit.status == 0 && hit.stderr.contains("another network's proof"), "\(hit.stderr)")
        #expect(hit.lines.first == (try CLITests.run(["verify", copy, Self.prop, "--timeout", "60"])).lines.first)
        let again = try CLITests.run(["verify", copy, Self.prop, "--timeout", "60", "--proof-cache", cache])
        #expect(again.stderr.contains("this network's proof"), "\(again.stderr)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(folders.count == 1, "one property")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/" + folders[0]).count == 2, "two networks")
    }
}
