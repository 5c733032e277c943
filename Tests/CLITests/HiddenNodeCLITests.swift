import Foundation
import Testing

/// VNN-LIB 2 hidden nodes (`Fixtures/hidden`, make_hidden.py): `mm = X·W1`, `pre = mm + b1`, `act = Relu(pre)`; over
/// the box, `mm[0,0] ≤ 1.5`, `pre[0,0] ≤ 1.6` and `act ≥ 0`.
struct HiddenNodeCLITests {
    static func verify(_ query: String) throws -> CLITests.Run {
        try CLITests.run([
            "verify", CLITests.fixture("hidden/\(query).vnnlib"), "--network", "N=\(CLITests.fixture("hidden/hidden.onnx"))",
            "--timeout", "30",
        ])
    }

    @Test(arguments: ["act_negative", "pre_unsat", "mixed_unsat", "before_bias_unsat"])
    func unreachableHiddenValuesAreUnsat(query: String) throws {
        let run = try Self.verify(query)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.first == "unsat", "\(query)")
    }

    /// The assignment lists the hidden node between the inputs and the outputs, with the values that meet it.
    @Test func aWitnessPrintsItsHiddenValues() throws {
        let run = try Self.verify("pre_sat")
        #expect(run.lines.first == "sat")
        #expect(run.lines.filter { $0.contains(" float32 [") } == ["X float32 [1,2]", "P float32 [1,3]", "Y float32 [1,1]"])
        let x = MultiNetworkCLITests.values(of: "X", in: run.lines), p = MultiNetworkCLITests.values(of: "P", in: run.lines)
        #expect(p.count == 3 && p[0] >= 1.5)
        #expect(abs(p[0] - (x[0] + 0.5 * x[1] + 0.1)) <= 1e-6)
        let mixed = try Self.verify("mixed_sat")
        let xm = MultiNetworkCLITests.values(of: "X", in: mixed.lines), pm = MultiNetworkCLITests.values(of: "P", in: mixed.lines)
        #expect(mixed.lines.first == "sat" && pm[0] >= xm[0] + 0.5)
    }

    /// `mm` is the MatMul before its bias: the import keeps it as a tensor of the network instead of folding the
    /// Add into the MatMul, so `mm` and `pre` differ by the bias in one witness.
    @Test func aTensorBeforeAFoldedBiasIsKept() throws {
        let run = try Self.verify("before_bias")
        #expect(run.lines.first == "sat")
        let m = MultiNetworkCLITests.values(of: "M", in: run.lines), p = MultiNetworkCLITests.values(of: "P", in: run.lines)
        #expect(m.count == 3 && p.count == 3)
        #expect(abs(p[0] - m[0] - 0.1) <= 1e-6 && abs(p[1] - m[1] + 0.2) <= 1e-6)
    }

    @Test func aHiddenNodeThatNamesNoTensorIsBadInput() throws {
        let run = try Self.verify("unknown_tensor")
        #expect(run.status == 2)
        #expect(run.stderr.contains("hidden.onnx") && run.stderr.contains("'no_such_tensor'"))
    }

    /// `nncert suite` reads the hidden nodes the same way (instances.csv: one sat, two unsat).
    @Test func aSuiteOfHiddenNodeQueries() throws {
        let run = try CLITests.run(["suite", CLITests.fixture("hidden/instances.csv")])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try #require(run.lines.last { !$0.isEmpty })
        #expect(summary.split(separator: " ", omittingEmptySubsequences: true).prefix(8).map(String.init)
            == ["3", "3", "1", "2", "0", "0", "0", "0"], "\(summary)")
    }
}
