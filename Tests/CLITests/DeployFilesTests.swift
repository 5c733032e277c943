import Foundation
import Testing
import Yams

/// The shipped definitions for the engines teams use (`deploy/`: a Slurm job array, a Kubernetes Indexed Job, a
/// GitHub Actions matrix) run as those engines would run them — each shard's script with the engine's index
/// variable, in its own process, then the merge's script — and their merged report equals the unsharded run's.
/// No scheduler runs here: the scripts are the files' own, with only the engine-provided values filled in.
extension SuiteCommandTests {
    static let deploy = CLITests.repository.appendingPathComponent("deploy")

    /// Runs `/bin/bash SCRIPT` or `/bin/sh -c TEXT` with `environment` added, in `folder`, with `nncert` on the path.
    static func shell(_ arguments: [String], in folder: URL, environment: [String: String]) throws -> CLITests.Run {
        let bin = folder.appendingPathComponent("bin")
        if !FileManager.default.fileExists(atPath: bin.appendingPathComponent("nncert").path) {
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("nncert"), withDestinationURL: CLITests.executable)
        }
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try CLITests.run(Array(arguments.dropFirst()), in: folder,
                                environment: environment.merging(["PATH": path]) { $1 },
                                program: URL(fileURLWithPath: arguments[0]))
    }

    /// The unsharded run's JSON report on the fast list, times zeroed.
    static func unshardedReport(_ list: String, _ dir: URL) throws -> String {
        let whole = try CLITests.run(["suite", list, "--workers", "1", "--json", dir.appendingPathComponent("whole.json").path])
        #expect(whole.status == 0, "\(whole.stderr)")
        return try zeroedJSONText(try read(dir, "whole.json"))
    }

    @Test func theSlurmJobArrayMergesIntoTheUnshardedRun() throws {
        let (list, dir) = try Self.fastList("deploy-slurm")
        let whole = try Self.unshardedReport(list, dir)
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        let environment = ["INSTANCES": list, "SHARDS": "3", "REPORTS": reports.path, "SLURM_CPUS_PER_TASK": "1"]
        for k in 1...3 {
            let shard = try Self.shell(["/bin/bash", Self.deploy.appendingPathComponent("slurm/suite-shard.sbatch").path],
                                       in: dir, environment: environment.merging(["SLURM_ARRAY_TASK_ID": "\(k)"]) { $1 })
            #expect(shard.status == 0, "shard \(k): \(shard.stderr)")
        }
        let merge = try Self.shell(["/bin/bash", Self.deploy.appendingPathComponent("slurm/suite-merge.sbatch").path],
                                   in: dir, environment: environment)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try Self.zeroedJSONText(try Self.read(reports, "suite.json")) == whole)
        for file in ["suite.xml", "suite.csv", "suite.md"] {
            #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent(file).path), "\(file)")
        }
        // A bad instance list is the one failure a shard passes on (exit 2), so that the array task fails.
        let bad = try Self.shell(["/bin/bash", Self.deploy.appendingPathComponent("slurm/suite-shard.sbatch").path],
                                 in: dir, environment: environment.merging(["SLURM_ARRAY_TASK_ID": "1",
                                                                            "INSTANCES": "/nonexistent.csv"]) { $1 })
        #expect(bad.status != 0)
    }

    /// The YAML's container script of the first Job in `file` (its documents in order), with its settings.
    static func jobScript(_ file: String) throws -> (script: String, env: [String: String], completions: Int?) {
        let text = try String(contentsOf: deploy.appendingPathComponent(file), encoding: .utf8)
        let job = try #require(try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
            .first { $0["kind"] as? String == "Job" })
        let spec = try #require(job["spec"] as? [String: Any])
        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((template["containers"] as? [[String: Any]])?.first)
        #expect(container["command"] as? [String] == ["/bin/sh", "-c"])
        let script = try #require((container["args"] as? [String])?.first)
        var env: [String: String] = [:]
        for pair in container["env"] as? [[String: Any]] ?? [] {
            if let name = pair["name"] as? String, let value = pair["value"] as? String { env[name] = value }
        }
        return (script, env, spec["completions"] as? Int)
    }

    @Test func theKubernetesIndexedJobMergesIntoTheUnshardedRun() throws {
        let (list, dir) = try Self.fastList("deploy-kubernetes")
        let whole = try Self.unshardedReport(list, dir)
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        let shard = try Self.jobScript("kubernetes/suite-indexed-job.yaml")
        let completions = try #require(shard.completions)
        #expect(shard.env["SHARDS"] == "\(completions)", "completions and SHARDS must agree")
        // The volume is mounted at /reports in the pods; here it is a folder of the test's.
        for index in 0..<completions {
            let run = try Self.shell(["/bin/sh", "-c", shard.script.replacingOccurrences(of: "/reports", with: reports.path)],
                                     in: dir, environment: shard.env.merging(["INSTANCES": list,
                                                                              "JOB_COMPLETION_INDEX": "\(index)"]) { $1 })
            #expect(run.status == 0, "pod \(index): \(run.stderr)")
        }
        let merge = try Self.jobScript("kubernetes/suite-merge-job.yaml")
        let run = try Self.shell(["/bin/sh", "-c", merge.script.replacingOccurrences(of: "/reports", with: reports.path)],
                                 in: dir, environment: merge.env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.zeroedJSONText(try Self.read(reports, "suite.json")) == whole)
    }

    @Test func theGitHubActionsMatrixMergesIntoTheUnshardedRun() throws {
        let (list, dir) = try Self.fastList("deploy-github")
        let whole = try Self.unshardedReport(list, dir)
        let text = try String(contentsOf: Self.deploy.appendingPathComponent("github-actions/nncert-suite-sharded.yml"),
                              encoding: .utf8)
        let workflow = try #require(try Yams.load(yaml: text) as? [String: Any])
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let suite = try #require(jobs["suite"] as? [String: Any])
        let shards = try #require(((suite["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["shard"] as? [Int])
        func script(_ job: String, named prefix: String) throws -> String {
            let steps = try #require((jobs[job] as? [String: Any])?["steps"] as? [[String: Any]])
            let step = try #require(steps.first { ($0["name"] as? String)?.hasPrefix(prefix) ?? false })
            return try #require(step["run"] as? String)
        }
        // The job's working directory holds the downloaded binary as ./nncert.
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("nncert"), withDestinationURL: CLITests.executable)
        let shardScript = try script("suite", named: "Run shard")
        for k in shards {
            let text = shardScript.replacingOccurrences(of: "${{ matrix.shard }}", with: "\(k)")
                .replacingOccurrences(of: "${{ strategy.job-total }}", with: "\(shards.count)")
            let run = try Self.shell(["/bin/sh", "-c", text], in: dir, environment: ["INSTANCES": list])
            #expect(run.status == 0, "shard \(k): \(run.stderr)")
        }
        // download-artifact with merge-multiple puts every shard's reports/ content into shards/.
        let shardsFolder = dir.appendingPathComponent("shards")
        try FileManager.default.moveItem(at: dir.appendingPathComponent("reports"), to: shardsFolder)
        let merge = try Self.shell(["/bin/sh", "-c", try script("merge", named: "Merge")], in: dir,
                                   environment: ["GITHUB_STEP_SUMMARY": dir.appendingPathComponent("summary.md").path])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try Self.zeroedJSONText(try Self.read(dir, "suite.json")) == whole)
        #expect(try Self.read(dir, "summary.md").contains("tiny/tiny_sat.vnnlib"))
    }
}
