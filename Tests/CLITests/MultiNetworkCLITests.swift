import Foundation
import Testing

/// `nncert verify QUERY --network f=… --network g=…` on the fixture pair of `Fixtures/multinet` (make_pair.py:
/// the exact maximum of |g − f| over the box is 0.291249956; the queries sit 0.02 above and below it).
struct MultiNetworkCLITests {
    static func file(_ name: String) -> String { CLITests.fixture("multinet/\(name)") }

    static func verify(_ query: String, _ bindings: [String], _ extra: [String] = []) throws -> CLITests.Run {
        try CLITests.run(["verify", file(query)] + bindings.flatMap { ["--network", $0] } + ["--timeout", "60"] + extra)
    }

    static let pair = ["f=\(file("f.onnx"))", "g=\(file("g.onnx"))"]

    /// The values printed after the `NAME TYPE [dims]` line of `name`.
    static func values(of name: String, in lines: [String]) -> [Double] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix(name + " ") }) else { return [] }
        return lines[(start + 1)...].prefix { Double($0) != nil }.compactMap(Double.init)
    }

    @Test func equivalenceAboveTheExactMaximumIsUnsat() throws {
        let run = try Self.verify("equivalent_unsat.vnnlib", Self.pair)
        #expect(run.status == 0)
        #expect(run.lines.first == "unsat")
    }

    @Test func equivalenceBelowTheExactMaximumIsSatWithTiedInputs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-multinet-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Self.verify("equivalent_sat.vnnlib", Self.pair, ["--serialise-assignments", folder])
        #expect(run.status == 0)
        let lines = run.lines
        #expect(lines.first == "sat")
        #expect(lines.filter { $0.hasSuffix("float32 [1,2]") } == [
            "X_f float32 [1,2]", "Y_f float32 [1,2]", "X_g float32 [1,2]", "Y_g float32 [1,2]",
        ])
        let (xf, xg) = (Self.values(of: "X_f", in: lines), Self.values(of: "X_g", in: lines))
        let (yf, yg) = (Self.values(of: "Y_f", in: lines), Self.values(of: "Y_g", in: lines))
        #expect(xf.count == 2 && xf == xg)
        #expect(xf.allSatisfy { (-1...1).contains($0) })
        #expect(yf.count == 2 && yg.count == 2)
        #expect(zip(yf, yg).contains { abs($1 - $0) > 0.27125 })
        for name in ["X_f", "Y_f", "X_g", "Y_g"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(name).pb"))
        }
    }

    /// The pooled CNN of `Fixtures/maxpool` against its `compress --quantize 8` copy on tied inputs
    /// (`make_equivalence.py`): the pools combine in the product network, so the query is searched, unsat at
    /// ε = 0.0012 and sat at ε = 0.0003 (the attacked difference is about 0.00056) with tied inputs.
    @Test func pooledNetworksAreSearchedSideBySide() throws {
        let copy = CompareCommandTests.temporary("multinet-maxpool-q8.onnx")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let original = CLITests.fixture("maxpool/cnn_maxpool.onnx")
        #expect(try CLITests.run(["compress", original, "--out", copy, "--quantize", "8"]).status == 0)
        let bindings = ["--network", "f=\(original)", "--network", "g=\(copy)", "--timeout", "60"]
        let unsat = try CLITests.run(["verify", CLITests.fixture("maxpool/equivalence_0.0012.vnnlib")] + bindings)
        #expect(unsat.status == 0 && unsat.lines.first == "unsat", "\(unsat.stdout) \(unsat.stderr)")
        let sat = try CLITests.run(["verify", CLITests.fixture("maxpool/equivalence_0.0003.vnnlib")] + bindings)
        #expect(sat.status == 0 && sat.lines.first == "sat", "\(sat.stdout) \(sat.stderr)")
        let (xf, xg) = (Self.values(of: "X_f", in: sat.lines), Self.values(of: "X_g", in: sat.lines))
        let (yf, yg) = (Self.values(of: "Y_f", in: sat.lines), Self.values(of: "Y_g", in: sat.lines))
        #expect(xf.count == 196 && xf == xg && yf.count == 10 && yg.count == 10)
        #expect(zip(yf, yg).contains { abs($1 - $0) > 0.0003 })
    }

    @Test func equalToReusesTheModel() throws {
        let run = try Self.verify("equal_to.vnnlib", ["f=\(Self.file("f.onnx"))"])
        #expect(run.status == 0)
        #expect(run.lines.first == "unsat")
    }

    @Test func untiedInputsAreIndependent() throws {
        // Y_f[0] reaches 0.96 at X_f = (1, −1) and Y_g[0] falls to about −0.066 on X_g's box: the gap exceeds 1
        // only with independent inputs.
        let run = try Self.verify("untied.vnnlib", Self.pair)
        #expect(run.status == 0)
        #expect(run.lines.first == "sat")
        let (xf, xg) = (Self.values(of: "X_f", in: run.lines), Self.values(of: "X_g", in: run.lines))
        let (yf, yg) = (Self.values(of: "Y_f", in: run.lines), Self.values(of: "Y_g", in: run.lines))
        #expect(xf.allSatisfy { (-1...1).contains($0) } && xg.allSatisfy { (0...0.5).contains($0) })
        #expect(yf.first.map { f in yg.first.map { f - $0 >= 1 } ?? false } ?? false)
    }

    @Test func badBindingsExitWithTwo() throws {
        let cases: [([String], String)] = [
            (["f=\(Self.file("f.onnx"))"], "network g is declared but not bound"),
            (Self.pair + ["h=\(Self.file("g.onnx"))"], "declares no network of that name"),
            (["f=\(Self.file("f.onnx"))", "f=\(Self.file("g.onnx"))"], "bound twice"),
            (["f=\(Self.file("f.onnx"))", "g=\(Self.file("deeper.onnx"))"], "isomorphic-to f, but its model's structure differs"),
            (["f=\(CLITests.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"))", "g=\(Self.file("g.onnx"))"],
             "does not match the model's input shape"),
        ]
        for (bindings, message) in cases {
            let run = try Self.verify("equivalent_sat.vnnlib", bindings)
            #expect(run.status == 2, "\(bindings)")
            #expect(run.stderr.hasPrefix("nncert: error: "))
            #expect(run.stderr.contains(message), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        let bound = try Self.verify("equal_to.vnnlib", Self.pair)
        #expect(bound.status == 2)
        #expect(bound.stderr.contains("equal-to f"))
    }

    @Test func supportsMultipleNetworks() throws {
        #expect(try CLITests.run(["supports", "--multiple-network-theories"]).lines.prefix(4) == ["SNET", "MENET", "MINET", "MNET"])
    }
}
