import Foundation
import Testing

/// `nncert compress`: the written file, the report, `nncert info` on the result, and the exit codes.
struct CompressCommandTests {
    static let acas = CLITests.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nncert-compress-\(getpid())-\(name)").path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func pruneAndQuantizeWritesASmallerSparseModelThatInfoDescribes() throws {
        let out = Self.temporary("p50q8.onnx")
        let run = try CLITests.run(["compress", Self.acas, "--out", out, "--prune", "0.5", "--quantize", "8", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try Self.json(run.stdout)["report"] as? [String: Any])
        let compressed = try #require(report["compressed"] as? [String: Any])
        let original = try #require(report["original"] as? [String: Any])
        #expect(compressed["nonzeroWeights"] as? Int == 6500 && original["nonzeroWeights"] as? Int == 13000)
        #expect(compressed["averageBitsPerWeight"] as? Double == 8)
        let info = try CLITests.run(["info", out, "--json"])
        let layers = try #require(try Self.json(info.stdout)["layers"] as? [[String: Any]])
        let dense = layers.filter { $0["kind"] as? String == "Dense" }
        #expect(dense.count == 7 && dense.allSatisfy { ($0["distinctValues"] as? Int ?? 999) <= 255 })
        let text = try CLITests.run(["info", out]).stdout
        #expect(text.contains("distinct") && text.contains("bits"))
    }

    @Test func structuredPruningShrinksTheLayers() throws {
        let out = Self.temporary("s50.onnx")
        let run = try CLITests.run(["compress", Self.acas, "--out", out, "--structured-prune", "0.5"])
        #expect(run.status == 0 && run.stdout.contains("parameters 13315 → "), "\(run.stdout)")
        let info = try CLITests.run(["info", out])
        #expect(info.stdout.contains("[1, 25]") && !info.stdout.contains("[1, 50]"))
    }

    @Test func badParametersAreUsageErrors() throws {
        let out = Self.temporary("bad.onnx")
        for options in [["--quantize", "9"], ["--prune", "1"], ["--ternary", "--quantize", "4"], [], ["--per-channel"],
                        ["--share", "1"], ["--structured-prune", "-0.1"], ["--prune", "0.2", "--prune-threshold", "1"]] {
            let run = try CLITests.run(["compress", Self.acas, "--out", out] + options)
            #expect(run.status == 64, "\(options): \(run.stderr)")
        }
    }

    @Test func unreadableInputOrOutputIsBadInput() throws {
        let missing = try CLITests.run(["compress", "/no/such/net.onnx", "--out", Self.temporary("x.onnx"), "--prune", "0.1"])
        #expect(missing.status == 2 && missing.stderr.contains("/no/such/net.onnx"))
        let unwritable = try CLITests.run(["compress", Self.acas, "--out", "/no/such/dir/x.onnx", "--prune", "0.1"])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("/no/such/dir/x.onnx"), "\(unwritable.stderr)")
        // A .nnet network that clips its inputs cannot be written as ONNX without changing its function.
        let clipping = try CLITests.run(["compress", CLITests.fixture("identity_clip.nnet"), "--out", Self.temporary("c.onnx"),
                                         "--quantize", "8"])
        #expect(clipping.status == 2 && clipping.stderr.contains("clips its inputs"), "\(clipping.stderr)")
    }
}

/// The compression story `make demo` tells (scripts/demo.sh): ACAS Xu 1_1 satisfies properties 1 and 3; pruned by
/// half per layer and quantised to 8 bits it keeps property 1 and loses property 3, with a confirmed witness; the
/// gate passes the example policy and fails the one that demands property 3. (The demo also bounds both Lipschitz
/// constants in `compare` and sweeps quantisation levels; skipped here to save time.)
struct DemoCompressionTests {
    @Test func compressedNetworkKeepsPropertyOneAndLosesPropertyThree() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-demo-\(getpid()).onnx").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let net = CLITests.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")
        let compress = try CLITests.run(["compress", net, "--out", out, "--prune", "0.5", "--quantize", "8"])
        #expect(compress.status == 0)
        let run = try CLITests.run([
            "compare", net, out, "--property", CLITests.prop("acasxu/prop_1.vnnlib"), "--property",
            CLITests.prop("acasxu/prop_3.vnnlib"), "--decision", "argmin", "--decision-timeout", "10",
            "--lipschitz-method", "none", "--timeout", "120", "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let properties = try #require(object["properties"] as? [[String: Any]])
        #expect(properties.map { $0["outcome"] as? String } == ["preserved", "lost"])
        let witness = (properties.last?["compressed"] as? [String: Any])?["counterexample"]
        #expect(witness != nil)

        let policies = CLITests.repository.appendingPathComponent("examples/gate")
        let pass = try CLITests.run(["gate", net, out, "--policy", policies.appendingPathComponent("policy.yaml").path])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        let lost = try CLITests.run(["gate", net, out, "--policy", policies.appendingPathComponent("policy-lost.yaml").path])
        #expect(lost.status == 1 && lost.stdout.contains("violated on the compressed network: counterexample x = ["))
    }
}
