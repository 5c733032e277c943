import Foundation
import Testing

/// `nncert compare`: the summary table, JSON, the Markdown report, and bad input.
struct CompareCommandTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nncert-compare-\(getpid())-\(name)").path
    }

    /// `test_unsat.onnx` satisfies `test_prop` (ACAS Xu property 3 on a small network) and `test_sat.onnx` does not:
    /// read as original and compressed, the property is lost, with the compressed network's counterexample.
    @Test func aLostPropertyInTextJSONAndMarkdown() throws {
        let report = Self.temporary("report.md")
        defer { try? FileManager.default.removeItem(atPath: report) }
        let args = ["compare", CLITests.prop("test/test_unsat.onnx"), CLITests.prop("test/test_sat.onnx"),
                    "--property", CLITests.prop("test/test_prop.vnnlib"), "--timeout", "30", "--decision", "argmin",
                    "--decision-timeout", "10", "--lipschitz-method", "lipsdp-layer"]
        let text = try CLITests.run(args + ["--report", report])
        #expect(text.status == 0, "\(text.stderr)")
        let row = try #require(text.lines.first { $0.hasPrefix("test_prop") })
        #expect(row.contains("unsat") && row.contains(" sat ") && row.contains("lost"), "\(row)")
        #expect(text.stdout.contains("test_prop lost; counterexample on the compressed network:"))
        #expect(text.stdout.contains("Lipschitz (lipsdp-layer, certified l2): original "))
        let markdown = try String(contentsOfFile: report, encoding: .utf8)
        #expect(markdown.contains("| test_prop | unsat | sat | lost |") && markdown.contains("## test_prop: lost"))

        let json = try CLITests.run(args + ["--json", "--lipschitz-method", "none"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let property = try #require((object["properties"] as? [[String: Any]])?.first)
        #expect(property["outcome"] as? String == "lost")
        let compressed = try #require(property["compressed"] as? [String: Any])
        #expect(compressed["verdict"] as? String == "sat" && compressed["counterexample"] != nil)
        let difference = try #require((property["differences"] as? [[String: Any]])?.first)
        let certified = try #require(difference["certified"] as? [Double]), attacked = try #require(difference["attacked"] as? [Double])
        #expect(certified.count == 5 && zip(certified, attacked).allSatisfy { $0 >= $1 && $0.isFinite })
        #expect((object["counts"] as? [String: Int])?["lost"] == 1 && object["lipschitz"] == nil)
    }

    /// A CNN with batch norm and max pooling as PyTorch exports it (`Fixtures/maxpool/generate.py`) against its
    /// `compress --quantize 8` copy: the property is preserved, the difference is bounded by difference
    /// propagation above the attacked one and well below the naive one, the decisions are proved equal network by
    /// network (pooled networks try that first), and both Lipschitz bounds are certified segment by
    /// segment around the pool.
    @Test func aMaxPoolingCNNIsComparedEndToEnd() throws {
        let copy = Self.temporary("maxpool-q8.onnx")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let original = CLITests.fixture("maxpool/cnn_maxpool.onnx")
        let compress = try CLITests.run(["compress", original, "--out", copy, "--quantize", "8"])
        #expect(compress.status == 0, "\(compress.stderr)")
        let run = try CLITests.run(["compare", original, copy, "--property", CLITests.fixture("maxpool/cnn_maxpool_eps0.005.vnnlib"),
                                    "--timeout", "20", "--lipschitz-method", "compositional", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let property = try #require((object["properties"] as? [[String: Any]])?.first)
        #expect(property["outcome"] as? String == "preserved")
        let difference = try #require((property["differences"] as? [[String: Any]])?.first)
        #expect(difference["method"] as? String == "difference-propagation")
        let certified = try #require(difference["certified"] as? [Double]), attacked = try #require(difference["attacked"] as? [Double])
        #expect(certified.count == 10 && zip(certified, attacked).allSatisfy { $0 >= $1 && $0 < 0.01 }, "\(certified)")
        let decision = try #require((property["decisions"] as? [[String: Any]])?.first)
        #expect(decision["outcome"] as? String == "proved")
        let lipschitz = try #require(object["lipschitz"] as? [String: Any])
        let ratio = try #require(lipschitz["ratio"] as? Double)
        #expect((lipschitz["original"] as? Double).map { $0.isFinite && $0 > 0 } == true && abs(ratio - 1) < 0.05)
    }

    @Test func badInputExitsWithTwo() throws {
        let tiny = CLITests.prop("tiny/tiny.onnx"), acas = CLITests.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")
        let missing = try CLITests.run(["compare", "/no/such.onnx", tiny])
        #expect(missing.status == 2 && missing.stderr.contains("/no/such.onnx"))
        let mismatch = try CLITests.run(["compare", tiny, acas])
        #expect(mismatch.status == 2 && mismatch.stderr.contains("cannot be compared"), "\(mismatch.stderr)")
        let wrongProperty = try CLITests.run(["compare", acas, acas, "--property", CLITests.prop("tiny/tiny_sat.vnnlib")])
        #expect(wrongProperty.status == 2 && wrongProperty.stderr.contains("tiny_sat"), "\(wrongProperty.stderr)")
        let usage = try CLITests.run(["compare", tiny, tiny, "--decision", "mode"])
        #expect(usage.status == 64)
    }
}
