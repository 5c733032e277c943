import Foundation
import Testing

/// `nncert suite` end to end: sharded runs in separate processes merge into the unsharded run's reports, and the
/// exit codes of a wrong verdict and of a bad instance list.
struct SuiteCommandTests {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-suite-cli-\(getpid())")

    /// A list of the seven rows of properties/regression.csv on the tiny and test networks (a header with expected
    /// verdicts; each instance well under a second), with absolute paths, in a fresh folder under `name`.
    static func fastList(_ name: String) throws -> (list: String, dir: URL) {
        let dir = folder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: dir)  // a leftover of an earlier run with the same process id
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let rows = try String(contentsOf: CLITests.properties.appendingPathComponent("regression.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("network,") || $0.hasPrefix("tiny/") || $0.hasPrefix("test/") }
            .map { row in
                guard !row.hasPrefix("network,") else { return String(row) }
                var fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[0] = CLITests.prop(fields[0])
                fields[1] = CLITests.prop(fields[1])
                return fields.joined(separator: ",")
            }
        let list = dir.appendingPathComponent("fast.csv").path
        try (rows.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)
        return (list, dir)
    }

    static func read(_ dir: URL, _ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    /// The JSON report with every time set to 0, as sorted-key JSON text.
    static func zeroedJSONText(_ text: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: try zeroedJSON(text), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The JSON report with every time set to 0.
    static func zeroedJSON(_ text: String) throws -> [String: Any] {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        object["seconds"] = 0
        let checks = try #require(object["checks"] as? [[String: Any]])
        object["checks"] = checks.map { check in
            var check = check
            check["seconds"] = 0
            return check
        }
        return object
    }

    /// JUnit XML without `time="…"` attributes; Markdown without the run's time and the seconds column.
    static func strippedTimes(_ text: String) -> String {
        text.replacingOccurrences(of: #" time="[0-9.]+""#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #"in [0-9.]+ (s|min)\."#, with: "in T.", options: .regularExpression)
            .replacingOccurrences(of: #"\| [0-9]+\.[0-9] \|"#, with: "| T |", options: .regularExpression)
    }

    @Test func threeShardProcessesMergeIntoTheUnshardedRun() throws {
        let (list, dir) = try Self.fastList("shards")
        func outputs(_ stem: String) -> [String] {
            ["--json", dir.appendingPathComponent("\(stem).json").path,
             "--junit", dir.appendingPathComponent("\(stem).xml").path,
             "--summary", dir.appendingPathComponent("\(stem).md").path]
        }
        let common = ["suite", list, "--workers", "1"]
        let whole = try CLITests.run(common + outputs("whole"))
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.contains("instances  decided  sat  unsat  timeout  unknown  error  wrong  seconds"))
        for k in 1...3 {
            let shard = try CLITests.run(common + ["--shard", "\(k)/3"] + outputs("shard\(k)"))
            #expect(shard.status == 0, "\(shard.stderr)")
            let json = try Self.zeroedJSON(try Self.read(dir, "shard\(k).json"))
            #expect((json["shard"] as? [String: Int]) == ["index": k, "count": 3])
        }
        let merge = try CLITests.run(
            ["report", "merge"] + (1...3).reversed().map { dir.appendingPathComponent("shard\($0).json").path }
                + outputs("merged"))
        #expect(merge.status == 0, "\(merge.stderr)")
        let merged = try Self.zeroedJSONText(try Self.read(dir, "merged.json"))
        #expect(merged == (try Self.zeroedJSONText(try Self.read(dir, "whole.json"))))
        #expect((try Self.zeroedJSON(merged)["checks"] as? [Any])?.count == 7)
        for ext in ["xml", "md"] {
            let a = Self.strippedTimes(try Self.read(dir, "merged.\(ext)"))
            let b = Self.strippedTimes(try Self.read(dir, "whole.\(ext)"))
            #expect(a == b, "merged.\(ext) differs from whole.\(ext)")
        }
        #expect(try Self.read(dir, "whole.md").contains("tiny/tiny_sat.vnnlib | pass | sat | sat | 20 |"))
    }

    @Test func wrongVerdictExitsOneAndBadListExitsTwo() throws {
        let dir = Self.folder.appendingPathComponent("codes")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let expected = dir.appendingPathComponent("expected.csv").path
        let tiny = CLITests.prop("tiny")
        try "onnx,vnnlib,expected\n\(tiny)/tiny.onnx,\(tiny)/tiny_sat.vnnlib,unsat\n"
            .write(toFile: expected, atomically: true, encoding: .utf8)
        let junit = dir.appendingPathComponent("wrong.xml").path
        let wrong = try CLITests.run([
            "suite", "--network", CLITests.prop("tiny/tiny.onnx"), CLITests.prop("tiny/tiny_sat.vnnlib"),
            CLITests.prop("tiny/tiny_unsat.vnnlib"), "--expected", expected, "--junit", junit, "--timeout", "20",
        ])
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("wrong verdict: sat, expected unsat"))
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("<failure type=\"failed\""))

        let list = dir.appendingPathComponent("bad.csv").path
        try "\(tiny)/tiny.onnx,\(tiny)/tiny_sat.vnnlib,20\n\(tiny)/tiny.onnx,\(tiny)/tiny_unsat.vnnlib,soon\n"
            .write(toFile: list, atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["suite", list])
        #expect(bad.status == 2)
        #expect(bad.stderr == "nncert: error: \(list):2: timeout 'soon' is not a positive number of seconds\n")
        #expect(bad.stdout.isEmpty)
        let missing = try CLITests.run(["suite", dir.appendingPathComponent("none.csv").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("none.csv: No such file or directory"))
    }
}
