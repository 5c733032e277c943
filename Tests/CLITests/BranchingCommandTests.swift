import Foundation
import Testing

/// `nncert branching collect|train` and `--branching gnn` on the command line.
extension CLITests {
    /// A new, empty folder for one test's data and model files (the caller removes it).
    static func gnnScratchFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-gnn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

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
        let dir = try Self.gnnScratchFolder()
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

    /// The whole learned-branching workflow on the command line: `collect`, `train` to a model file, and a
    /// ReLU-split search with `--branching-model FILE` whose statistics count the GNN's decisions, the fail-safe's
    /// fallbacks and the fine-tuning steps — both switches off, both counts zero.
    @Test func aTrainedModelBranchesAndCountsItsDecisions() throws {
        let dir = try Self.gnnScratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (net, unsat) = (Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_unsat.vnnlib"))
        let data = dir.appendingPathComponent("d.jsonl").path, model = dir.appendingPathComponent("m.json").path
        let collect = try Self.run(["branching", "collect", net, unsat, "--out", data, "--timeout", "10"])
        #expect(collect.status == 0, "\(collect.stderr)")
        let train = try Self.run(["branching", "train", data, "--out", model, "--epochs", "2"])
        #expect(train.status == 0, "\(train.stderr)")
        func statistics(_ extra: [String]) throws -> [String: Any] {
            let run = try Self.run(["verify", net, unsat, "--mode", "relu-split", "--branching-model", model, "--json"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        }
        let plain = try statistics(["--no-gnn-fail-safe", "--no-online-tuning"])
        #expect(plain["verdict"] as? String == "unsat")
        #expect((plain["gnnDecisions"] as? Int ?? 0) > 0, "\(plain)")
        #expect(plain["gnnFallbacks"] as? Int == 0 && plain["gnnFineTuningSteps"] as? Int == 0, "\(plain)")
        let safe = try statistics([])
        #expect(safe["verdict"] as? String == "unsat" && (safe["gnnDecisions"] as? Int ?? 0) > 0, "\(safe)")
        let clash = try Self.run(["verify", net, unsat, "--branching", "babsr", "--branching-model", model])
        #expect(clash.status != 0 && clash.stderr.contains("--branching-model"), "\(clash.stderr)")
    }

    /// A missing property file after a good one stops `collect` before any search: exit 2, the file named, no
    /// data file started.
    @Test func branchingCollectChecksEveryPropertyBeforeSearching() throws {
        let dir = try Self.gnnScratchFolder()
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
