import Foundation
import Testing

/// `nncert diff-bound` on ACAS Xu 1_1 and its `compress --prune 0.5 --quantize 8` copy over property 1's box.
struct DiffBoundCommandTests {
    static let acas = CLITests.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nncert-diff-\(getpid())-\(name)").path
    }

    /// Evaluates `network` on `rows` through `nncert eval`.
    static func evaluate(_ network: String, _ csv: String) throws -> [[Double]] {
        let run = try CLITests.run(["eval", network, "--inputs", csv])
        return run.lines.filter { !$0.isEmpty }.map { $0.split(separator: ",").compactMap { Double($0) } }
    }

    /// The certified bound is finite, at least the largest |g − f| over 100 sampled inputs and the attacked one, at
    /// most the naive; the JSON fields of the refinement are consistent; 30 best-first splits bring the worst
    /// output from the naive 1314 to below 20 (interval-only difference propagation with 30 splits: 308).
    @Test func certifiedBoundOfACompressedACASNetwork() throws {
        let compressed = Self.temporary("p50q8.onnx"), csv = Self.temporary("inputs.csv")
        defer { for p in [compressed, csv] { try? FileManager.default.removeItem(atPath: p) } }
        let compress = try CLITests.run(["compress", Self.acas, "--out", compressed, "--prune", "0.5", "--quantize", "8"])
        #expect(compress.status == 0, "\(compress.stderr)")
        let run = try CLITests.run([
            "diff-bound", Self.acas, compressed, "--property", CLITests.prop("acasxu/prop_1.vnnlib"), "--json",
            "--splits", "4", "--time-limit", "1000", "--no-proof",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let cases = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let first = try #require(cases.first)
        let certified = try #require(first["maxAbsolute"] as? [Double])
        let naive = try #require(first["naiveMaxAbsolute"] as? [Double])
        let attacked = try #require(first["attacked"] as? [Double])
        let certifiedWorst = try #require(first["certifiedWorst"] as? Double)
        let attackedWorst = try #require(first["attackedWorst"] as? Double)
        #expect(try #require(first["leaves"] as? Int) == 5)
        #expect(first["stop"] as? String == "leaves")
        #expect(certifiedWorst == certified.max() && attackedWorst == attacked.max())
        let ratio = try #require(first["ratio"] as? Double)
        #expect(abs(ratio - certifiedWorst / attackedWorst) <= 1e-9 * ratio)
        for i in certified.indices { #expect(attacked[i] > 0 && attacked[i] <= certified[i]) }
        let box = try #require(first["box"] as? [String: [Double]])
        let lower = try #require(box["lower"]), upper = try #require(box["upper"])
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let rows = (0..<100).map { _ in lower.indices.map { lower[$0] + (upper[$0] - lower[$0]) * uniform() } }
        try rows.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let yf = try Self.evaluate(Self.acas, csv), yg = try Self.evaluate(compressed, csv)
        #expect(yf.count == 100 && yg.count == 100)
        var sampled = [Double](repeating: 0, count: certified.count)
        for (a, b) in zip(yf, yg) { for i in sampled.indices { sampled[i] = max(sampled[i], abs(b[i] - a[i])) } }
        for i in certified.indices {
            #expect(certified[i].isFinite && certified[i] >= sampled[i] && certified[i] <= naive[i], "output \(i)")
        }
        print("ACAS 1_1 vs p50q8 over prop 1: certified \(certified), naive \(naive), sampled \(sampled)")
        let text = try CLITests.run([
            "diff-bound", Self.acas, compressed, "--property", CLITests.prop("acasxu/prop_1.vnnlib"), "--splits", "30",
            "--time-limit", "1000", "--no-proof",
        ])
        #expect(text.status == 0 && text.stdout.contains("naive") && text.stdout.contains("ratio"), "\(text.stderr)")
        let bounds = text.lines.filter { $0.contains("max |diff| <= ") }.compactMap {
            Double($0.components(separatedBy: "max |diff| <= ")[1].split(separator: " ")[0])
        }
        #expect(bounds.count == 5)
        for (i, b) in bounds.enumerated() { #expect(b >= sampled[i] && b < naive[i], "output \(i) with 30 splits") }
        #expect((bounds.max() ?? .infinity) < 20)
        print("with 30 splits: \(bounds)")
    }

    /// A `--structured-prune 0.1` copy (45-neuron hidden layers against 50) is widened back and bounded: the
    /// certified bound is finite, below the naive one and above |g − f| at the attacked inputs.
    @Test func structuredPrunedCopyIsBounded() throws {
        let compressed = Self.temporary("s10.onnx"), csv = Self.temporary("attack.csv")
        defer { for p in [compressed, csv] { try? FileManager.default.removeItem(atPath: p) } }
        let compress = try CLITests.run(["compress", Self.acas, "--out", compressed, "--structured-prune", "0.1"])
        #expect(compress.status == 0, "\(compress.stderr)")
        let run = try CLITests.run([
            "diff-bound", Self.acas, compressed, "--property", CLITests.prop("acasxu/prop_3.vnnlib"), "--json",
            "--splits", "8", "--time-limit", "1000", "--no-proof",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let cases = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let first = try #require(cases.first)
        let certified = try #require(first["maxAbsolute"] as? [Double])
        let naive = try #require(first["naiveMaxAbsolute"] as? [Double])
        let inputs = try #require(first["attackInputs"] as? [[Double]])
        try inputs.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let yf = try Self.evaluate(Self.acas, csv), yg = try Self.evaluate(compressed, csv)
        for i in certified.indices {
            let reached = zip(yf, yg).map { abs($1[i] - $0[i]) }.max() ?? 0
            #expect(certified[i].isFinite && certified[i] < naive[i] && certified[i] >= reached, "output \(i)")
        }
    }

    /// A CNN with `AveragePool` and `GlobalAveragePool` as PyTorch exports them (`Fixtures/avgpool/generate.py`)
    /// against its 8-bit and its `--structured-prune 0.25` copies, unsplit: difference propagation carries the
    /// difference through the pools (depthwise convolutions); the 8-bit bound lies above the attacked one and
    /// five times below the product network's (0.0058 against 0.0646; the build before bounded the pair through
    /// the product network).
    @Test func averagePooledCopiesAreDifferencePropagated() throws {
        let network = CLITests.fixture("avgpool/cnn_avgpool.onnx"), property = CLITests.fixture("avgpool/cnn_avgpool.vnnlib")
        for (name, step) in [("q8", ["--quantize", "8"]), ("s25", ["--structured-prune", "0.25"])] {
            let compressed = Self.temporary("avgpool-\(name).onnx")
            defer { try? FileManager.default.removeItem(atPath: compressed) }
            #expect(try CLITests.run(["compress", network, "--out", compressed] + step).status == 0)
            let run = try CLITests.run([
                "diff-bound", network, compressed, "--property", property, "--splits", "0", "--no-proof",
                "--attack-samples", "10", "--json",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let cases = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
            let first = try #require(cases.first)
            #expect(first["method"] as? String == "difference-propagation", "\(name)")
            let certified = try #require(first["certifiedWorst"] as? Double)
            let attacked = try #require(first["attackedWorst"] as? Double)
            let product = try #require(first["productNetworkWorst"] as? Double)
            #expect(certified >= attacked && certified <= product, "\(name): \(certified), \(attacked), \(product)")
            if name == "q8" { #expect(certified < 0.2 * product, "\(certified) against \(product)") }
        }
    }

    /// Different structures and unreadable files are bad input (exit 2).
    @Test func mismatchedNetworksAreBadInput() throws {
        let tiny = CLITests.prop("tiny/tiny.onnx")
        let mismatch = try CLITests.run(["diff-bound", Self.acas, tiny, "--property", CLITests.prop("acasxu/prop_1.vnnlib")])
        #expect(mismatch.status == 2, "\(mismatch.stderr)")
        #expect(mismatch.stderr.contains("structure") || mismatch.stderr.contains("inputs"))
        let missing = try CLITests.run(["diff-bound", Self.acas, "/nonexistent.onnx", "--property", CLITests.prop("acasxu/prop_1.vnnlib")])
        #expect(missing.status == 2)
    }
}
