import Foundation
import Testing

/// VNN-LIB 2 queries with a linear constraint over several inputs (`Fixtures/input_constraints`, on the 2-3-2
/// network `multinet/f.onnx`): `Y[0,0]` reaches 1.1025 on the box, at `X = (−1, 0.7)`, but only 0.96 where
/// `X[0,1] − X[0,0] ≤ 0.5`.
struct InputConstraintCLITests {
    static func verify(_ query: String) throws -> CLITests.Run {
        try CLITests.run([
            "verify", CLITests.fixture("input_constraints/\(query)"),
            "--network", "f=\(CLITests.fixture("multinet/f.onnx"))", "--timeout", "30",
        ])
    }

    @Test func theConstraintExcludesEveryViolation() throws {
        #expect(try Self.verify("box_sat.vnnlib").lines.first == "sat")  // the box alone is violated
        let run = try Self.verify("unsat.vnnlib")
        #expect(run.status == 0)
        #expect(run.lines.first == "unsat")
    }

    /// The witness satisfies the strict input constraint and reports the network's two outputs only.
    @Test func aWitnessSatisfiesTheConstraint() throws {
        let run = try Self.verify("sat.vnnlib")
        #expect(run.status == 0)
        let lines = run.lines
        #expect(lines.first == "sat")
        let x = MultiNetworkCLITests.values(of: "X", in: lines), y = MultiNetworkCLITests.values(of: "Y", in: lines)
        #expect(x.count == 2 && y.count == 2)
        #expect(x[1] - x[0] < 0.5)
        #expect(x.allSatisfy { (-1...1).contains($0) })
        #expect((y.first ?? 0) >= 0.9)
    }

    /// `Y[0,0] − X[0,0]` reaches 2.1025 on the box: `Y[0,0] ≥ X[0,0] + 2.15` is unsat, `+ 2.05` sat with a witness
    /// that meets the mixed comparison.
    @Test func comparisonsMixingInputsAndOutputs() throws {
        #expect(try Self.verify("mixed_unsat.vnnlib").lines.first == "unsat")
        let run = try Self.verify("mixed_sat.vnnlib")
        #expect(run.status == 0)
        #expect(run.lines.first == "sat")
        let x = MultiNetworkCLITests.values(of: "X", in: run.lines), y = MultiNetworkCLITests.values(of: "Y", in: run.lines)
        #expect(x.count == 2 && y.count == 2)
        #expect((y.first ?? 0) >= (x.first ?? 0) + 2.05)
        // Other commands read no such rows: they refuse the comparison (exit 2), as before.
        let bounds = try CLITests.run([
            "bounds", CLITests.fixture("multinet/f.onnx"), CLITests.fixture("input_constraints/mixed_sat.vnnlib"),
        ])
        #expect(bounds.status == 2 && bounds.stderr.contains("comparison mixing inputs and outputs"))
    }
}
