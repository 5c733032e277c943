import Foundation
import Testing

/// `nncert sweep`: levels, exit codes, the HTML report, and shards that merge into the whole sweep.
struct SweepCommandTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nncert-sweep-\(getpid())-\(name)").path
    }

    /// `tiny_unsat` holds with a margin of 0.05 on `tiny.onnx`: 8-bit quantisation keeps it, 4 and 2 bits lose it
    /// (exit 1, the report names the level and the counterexample).
    static let arguments = [
        "sweep", CLITests.prop("tiny/tiny.onnx"), "--property", CLITests.prop("tiny/tiny_unsat.vnnlib"),
        "--quantize", "8,4,2", "--timeout", "20", "--samples", "200", "--lipschitz-method", "naive",
    ]

    @Test func levelsReportsAndExitCode() throws {
        let json = Self.temporary("whole.json"), html = Self.temporary("sweep.html")
        defer { for f in [json, html] { try? FileManager.default.removeItem(atPath: f) } }
        let result = try CLITests.run(Self.arguments + ["--json", json, "--html", html])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.lines.contains { $0.hasPrefix("quantize 8 * ok") }, "\(result.stdout)")
        #expect(result.stdout.contains("ok recommended: quantize 8"))
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.count == 12 && report["command"] as? String == "sweep")
        let first = try #require(checks.first)
        #expect(first["group"] as? String == "quantize 8" && first["status"] as? String == "passed")
        let lost = try #require(checks.first { $0["status"] as? String == "failed" })
        #expect((lost["message"] as? String)?.hasPrefix("lost: counterexample x = [") == true)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.components(separatedBy: "<svg ").count == 5 && page.contains("quantize 2"))
    }

    @Test func shardsMergeIntoTheWholeSweep() throws {
        // Names of their own: the suite's tests run in parallel, and `levelsReportsAndExitCode` writes whole.json.
        let paths = ["unsharded", "s1", "s2", "merged"].map { Self.temporary("\($0).json") }
        defer { for f in paths { try? FileManager.default.removeItem(atPath: f) } }
        _ = try CLITests.run(Self.arguments + ["--json", paths[0]])
        _ = try CLITests.run(Self.arguments + ["--json", paths[1], "--shard", "1/2"])
        _ = try CLITests.run(Self.arguments + ["--json", paths[2], "--shard", "2/2"])
        let merge = try CLITests.run(["report", "merge", paths[2], paths[1], "--json", paths[3]])
        #expect(merge.status == 1, "\(merge.stderr)")
        func checks(_ path: String) throws -> [[String: String]] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            let checks = try #require((object as? [String: Any])?["checks"] as? [[String: Any]])
            return checks.map { c in
                ["index": "\(c["index"]!)", "group": "\(c["group"]!)", "name": "\(c["name"]!)",
                 "status": "\(c["status"]!)", "message": "\(c["message"] ?? "")"]
            }
        }
        #expect(try checks(paths[3]) == checks(paths[0]))
        let missing = try CLITests.run(["report", "merge", paths[1]])
        #expect(missing.status == 2 && missing.stderr.contains("missing"), "\(missing.stderr)")
    }

    /// With `--policy`, each level runs the gate: its checks (grouped by level) are the report's, and the levels
    /// that lose the property fail with the compressed network's counterexample.
    @Test func aPolicyRunsTheGateAtEveryLevel() throws {
        let policy = Self.temporary("policy.yaml"), json = Self.temporary("gated.json")
        defer { for f in [policy, json] { try? FileManager.default.removeItem(atPath: f) } }
        try """
            version: 1
            properties: [\(CLITests.prop("tiny/tiny_unsat.vnnlib"))]
            timeout: 20
            """.write(toFile: policy, atomically: true, encoding: .utf8)
        let result = try CLITests.run(Self.arguments + ["--policy", policy, "--json", json])
        #expect(result.status == 1, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
        let checks = try #require((object as? [String: Any])?["checks"] as? [[String: Any]])
        #expect(checks.map { $0["group"] as? String } == ["quantize 8 · property", "quantize 4 · property",
                                                           "quantize 2 · property"])
        #expect(checks.map { $0["status"] as? String } == ["passed", "failed", "failed"])
        #expect((checks[1]["details"] as? [String: String])?["counterexample"] != nil)
        #expect(result.stdout.contains("ok recommended: quantize 8"))
    }

    @Test func badLevelsAreUsageErrors() throws {
        let tiny = CLITests.prop("tiny/tiny.onnx"), prop = CLITests.prop("tiny/tiny_unsat.vnnlib")
        #expect(try CLITests.run(["sweep", tiny, "--property", prop, "--prune", "0.1,x"]).status == 64)
        #expect(try CLITests.run(["sweep", tiny, "--property", prop, "--prune", "0.1", "--quantize", "8"]).status == 64)
        #expect(try CLITests.run(["sweep", tiny, "--property", prop, "--quantize", "1"]).status == 64)
        #expect(try CLITests.run(["sweep", tiny, "--property", prop, "--prune", "0.1", "--shard", "3/2"]).status == 64)
        let missing = try CLITests.run(["sweep", "/no/such.onnx", "--property", prop, "--prune", "0.1"])
        #expect(missing.status == 2 && missing.stderr.contains("/no/such.onnx"))
    }
}
