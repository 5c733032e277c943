import Foundation
import Testing

/// `nncert branching collect|train` and `--branching gnn` on the command line.
extension CLITests {
    @Test func gnnBranchingRejectsABadModelFileWithExitCode2() throws {
        let missing = try Self.run([
            "verify", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_unsat.vnnlib"), "--branching", "gnn:/nonexistent/model.json",
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/model.json") && missing.stderr.contains("GNN model"))
        let run = try Self.run(["verify", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_unsat.vnnlib"), "--branching", "gnn"])
        #expect(run.status == 0 && run.lines.first == "unsat", "\(run.stderr)")
    }

    @Test func branchingCollectWritesADataFileAndTrainRejectsBadData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-gnn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("d.jsonl").path
        let collect = try Self.run([
            "branching", "collect", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_unsat.vnnlib"), "--out", data,
            "--timeout", "10",
        ])
        #expect(collect.status == 0, "\(collect.stderr)")
        let header = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("\"nncert-gnn-data\"") && header.contains("nncert-gnn-features-1"))
        let bad = dir.appendingPathComponent("bad.jsonl").path
        #expect(FileManager.default.createFile(atPath: bad, contents: Data("not json\n".utf8)))
        let train = try Self.run(["branching", "train", bad, "--out", dir.appendingPathComponent("m.json").path])
        #expect(train.status == 2 && train.stderr.contains("bad.jsonl"), "\(train.stderr)")
    }

    /// A missing property file after a good one stops `collect` before any search: exit 2, the file named, no
    /// data file started.
    @Test func branchingCollectChecksEveryPropertyBeforeSearching() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-gnn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("d.jsonl").path
        let missing = dir.appendingPathComponent("missing.vnnlib").path
        let collect = try Self.run([
            "branching", "collect", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_unsat.vnnlib"), missing,
            "--out", data, "--timeout", "10",
        ])
        #expect(collect.status == 2 && collect.stderr.contains("missing.vnnlib"), "\(collect.stderr)")
        #expect(!collect.stdout.contains("tiny_unsat.vnnlib") && !FileManager.default.fileExists(atPath: data))
    }
}
