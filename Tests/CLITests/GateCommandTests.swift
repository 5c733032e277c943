import Foundation
import Testing

/// `nncert gate` on the shipped example (examples/gate): each documented policy gives its exit code, and the reports
/// CI reads are written.
struct GateCommandTests {
    static let example = CLITests.repository.appendingPathComponent("examples/gate")

    static func file(_ name: String) -> String { example.appendingPathComponent(name).path }

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nncert-gate-\(getpid())-\(name)").path
    }

    static func gate(_ policy: String, _ extra: [String] = []) throws -> CLITests.Run {
        try CLITests.run(["gate", file("original.onnx"), file("compressed.onnx"), "--policy", file(policy)] + extra)
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func thePassingPolicyExitsZeroAndWritesEveryReport() throws {
        let json = Self.temporary("pass.json"), junit = Self.temporary("pass.xml"), summary = Self.temporary("pass.md")
        defer { for path in [json, junit, summary] { try? FileManager.default.removeItem(atPath: path) } }
        let run = try Self.gate("policy.yaml", ["--json", json, "--junit", junit, "--summary", summary])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let markdown = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(run.stdout == markdown && markdown.hasPrefix("## gate: original.onnx → compressed.onnx"))
        #expect(markdown.contains("**passed**: 3 passed of 3 checks"))
        #expect(markdown.contains("| property | prop_1.vnnlib | pass | proven |"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count == 4 && !xml.contains("<failure"))
        let report = try Self.json(json)
        #expect(report["command"] as? String == "gate" && report["totalChecks"] as? Int == 3)
        let groups = (report["checks"] as? [[String: Any]])?.compactMap { $0["group"] as? String }
        #expect(groups == ["property", "difference", "lipschitz"])
    }

    @Test func aLostPropertyExitsOneWithItsCounterexample() throws {
        let json = Self.temporary("lost.json"), junit = Self.temporary("lost.xml")
        defer { for path in [json, junit] { try? FileManager.default.removeItem(atPath: path) } }
        let run = try Self.gate("policy-lost.yaml", ["--json", json, "--junit", junit])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("| property | prop_3.vnnlib | **FAIL** | violated |"))
        let checks = try #require(try Self.json(json)["checks"] as? [[String: Any]])
        let failed = try #require(checks.first { $0["status"] as? String == "failed" })
        let details = try #require(failed["details"] as? [String: String])
        #expect(failed["name"] as? String == "prop_3.vnnlib" && details["counterexample"]?.hasPrefix("[") == true)
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("<failure type=\"failed\" message=\"violated on"))
    }

    @Test func anUndecidedCheckExitsThree() throws {
        let run = try Self.gate("policy-undecided.yaml")
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("| difference | prop_1.vnnlib | **undecided** |"))
    }

    @Test func aMalformedPolicyExitsTwoNamingFileLineAndKey() throws {
        let run = try Self.gate("policy-malformed.yaml")
        #expect(run.status == 2)
        #expect(run.stderr.hasSuffix("policy-malformed.yaml:5:8: difference.max: must be a positive number\n"), "\(run.stderr)")
        let missing = try CLITests.run(["gate", "/no/such.onnx", Self.file("compressed.onnx"), "--policy", Self.file("policy.yaml")])
        #expect(missing.status == 2 && missing.stderr.contains("/no/such.onnx"))
        let noPolicy = try Self.gate("no-such-policy.yaml")
        #expect(noPolicy.status == 2 && noPolicy.stderr.contains("no-such-policy.yaml: No such file or directory"))
    }

    @Test func aShardRunsItsChecksAndUsageErrorsExit64() throws {
        let json = Self.temporary("shard.json")
        defer { try? FileManager.default.removeItem(atPath: json) }
        let run = try Self.gate("policy-lost.yaml", ["--shard", "1/2", "--json", json])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let report = try Self.json(json)
        #expect(report["totalChecks"] as? Int == 2 && (report["checks"] as? [Any])?.count == 1)
        #expect(try Self.gate("policy.yaml", ["--shard", "3/2"]).status == 64)
        #expect(try CLITests.run(["gate", Self.file("original.onnx"), Self.file("compressed.onnx")]).status == 64)
    }
}
