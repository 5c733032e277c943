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

    /// The gate command of the documented GitHub Actions workflow, run from the repository's root as CI runs it, with
    /// its report files redirected to temporary ones (`$GITHUB_STEP_SUMMARY` is the summary).
    @Test func theDocumentedWorkflowsCommandExitsZeroAndWritesEveryReport() throws {
        var arguments = try Self.workflowCommand()
        #expect(arguments.first == ".build/release/nncert")
        arguments.removeFirst()
        var outputs: [String: String] = [:]
        for option in ["--json", "--junit", "--summary"] {
            let k = try #require(arguments.firstIndex(of: option))
            outputs[option] = Self.temporary("workflow\(option)")
            arguments[k + 1] = outputs[option]!
        }
        defer { for path in outputs.values { try? FileManager.default.removeItem(atPath: path) } }
        let run = try CLITests.run(arguments, in: CLITests.repository)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let markdown = try String(contentsOfFile: outputs["--summary"]!, encoding: .utf8)
        #expect(run.stdout == markdown && markdown.hasPrefix("## gate: original.onnx → compressed.onnx"))
        #expect(markdown.contains("**passed**: 3 passed of 3 checks"))
        #expect(markdown.contains("| property | prop_1.vnnlib | pass | proven |"))
        let xml = try String(contentsOfFile: outputs["--junit"]!, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count == 4 && !xml.contains("<failure"))
        let report = try Self.json(outputs["--json"]!)
        #expect(report["command"] as? String == "gate" && report["totalChecks"] as? Int == 3)
        let groups = (report["checks"] as? [[String: Any]])?.compactMap { $0["group"] as? String }
        #expect(groups == ["property", "difference", "lipschitz"])
    }

    /// docs/ci.md shows exactly the shipped policy and CI files.
    @Test func theDocumentedFilesAreTheShippedOnes() throws {
        let doc = try String(contentsOf: CLITests.repository.appendingPathComponent("docs/ci.md"), encoding: .utf8)
        let blocks = doc.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let shipped = try ["policy.yaml", "github-actions.yml", "gitlab-ci.yml"].map {
            try String(contentsOfFile: Self.file($0), encoding: .utf8)
        }
        #expect(Array(blocks) == shipped)
    }

    /// The arguments of the workflow's gate step (a folded `run: >` block), `"$GITHUB_STEP_SUMMARY"` unquoted.
    static func workflowCommand() throws -> [String] {
        let workflow = try String(contentsOfFile: file("github-actions.yml"), encoding: .utf8)
        let lines = workflow.components(separatedBy: "\n")
        let step = try #require(lines.firstIndex { $0.contains("name: Gate the compressed network") })
        let command = lines[(step + 2)...].prefix { $0.hasPrefix("          ") }.joined(separator: " ")
        return command.split(separator: " ").map { $0.replacingOccurrences(of: "\"", with: "") }
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

    @Test func shardsRunTheirChecksAndMergeAndUsageErrorsExit64() throws {
        let json = Self.temporary("shard1.json"), second = Self.temporary("shard2.json")
        defer { for path in [json, second] { try? FileManager.default.removeItem(atPath: path) } }
        let run = try Self.gate("policy-lost.yaml", ["--shard", "1/2", "--json", json])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let report = try Self.json(json)
        #expect(report["totalChecks"] as? Int == 2 && (report["checks"] as? [Any])?.count == 1)
        #expect(try Self.gate("policy-lost.yaml", ["--shard", "2/2", "--json", second]).status == 1)
        let merged = try CLITests.run(["report", "merge", json, second])
        #expect(merged.status == 1 && merged.stdout.contains("**failed**: 1 passed, 1 failed of 2 checks"))
        #expect(try Self.gate("policy.yaml", ["--shard", "3/2"]).status == 64)
        #expect(try CLITests.run(["gate", Self.file("original.onnx"), Self.file("compressed.onnx")]).status == 64)
    }
}
