import Foundation
import Testing

/// The exit codes README.md documents (`ExitStatus`), and the search trace round trip through the CLI.
struct ExitStatusTests {
    static let tinyNet = CLITests.prop("tiny/tiny.onnx")
    static let tinyUnsat = CLITests.prop("tiny/tiny_unsat.vnnlib")

    @Test func everyVerdictExitsZero() throws {
        for prop in ["tiny/tiny_sat.vnnlib", "tiny/tiny_unsat.vnnlib"] {
            let run = try CLITests.run(["verify", Self.tinyNet, CLITests.prop(prop), "--timeout", "20"])
            #expect(run.status == 0 && ["sat", "unsat"].contains(run.lines.first ?? ""))
        }
        // A time limit beyond Double's useful range is capped, not a trap (audit item 5).
        let huge = try CLITests.run(["verify", Self.tinyNet, Self.tinyUnsat, "--timeout", "1e16"])
        #expect(huge.status == 0 && huge.lines.first == "unsat")
        // LPs above the leaves (the default is leaves only) do not change a verdict.
        let innerLPs = try CLITests.run(["verify", Self.tinyNet, Self.tinyUnsat, "--lp-unstable-limit", "48"])
        #expect(innerLPs.status == 0 && innerLPs.lines.first == "unsat")
        // Either method for the nodes' intermediate bounds proves it.
        for method in ["crown", "interval"] {
            let nodes = try CLITests.run(["verify", Self.tinyNet, Self.tinyUnsat, "--mode", "relu-split", "--node-bounds", method])
            #expect(nodes.status == 0 && nodes.lines.first == "unsat", "\(method)")
        }
    }

    @Test func usageErrorsExitSixtyFour() throws {
        for arguments in [
            ["verify", Self.tinyNet, Self.tinyUnsat, "--workers", "0"],
            ["verify", Self.tinyNet, Self.tinyUnsat, "--lp-unstable-limit", "-1"],
            ["verify", Self.tinyNet, Self.tinyUnsat, "--node-bounds", "alpha-crown"],
            ["verify", Self.tinyNet, Self.tinyUnsat, "--no-such-option"],
            ["verify", Self.tinyNet, Self.tinyUnsat, "--timeout", "-1"],
            ["verify", Self.tinyNet],
        ] {
            #expect(try CLITests.run(arguments).status == 64, "\(arguments)")
        }
    }

    @Test func badInputExitsTwo() throws {
        let underflow = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-underflow-\(getpid()).vnnlib")
        try """
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            (declare-const Y_0 Real)
            (declare-const Y_1 Real)
            (assert (>= X_0 0.0)) (assert (<= X_0 1.0)) (assert (>= X_1 0.0)) (assert (<= X_1 1.0))
            (assert (<= (* 1e-200 (* 1e-200 X_0)) 5.0))
            (assert (>= Y_0 0.5))
            """.write(to: underflow, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: underflow) }
        let run = try CLITests.run(["verify", Self.tinyNet, underflow.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(underflow.path):6:13: arithmetic underflow"), "\(run.stderr)")
    }

    @Test func traceAndResume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-trace-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("trace.jsonl").path
        let net = CLITests.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")
        let prop = CLITests.prop("acasxu/prop_1.vnnlib")
        let first = try CLITests.run(["verify", net, prop, "--timeout", "60", "--trace", trace])
        #expect(first.status == 0 && first.lines.first == "unsat")
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.contains("\"schema\":\"nncert-search-trace\"") == true)
        #expect(lines.first?.contains("\"version\":1") == true)
        let again = try CLITests.run(["verify", net, prop, "--timeout", "60", "--resume", trace])
        #expect(again.status == 0 && again.lines.first == "unsat")
        // A damaged trace is bad input, naming the file and the line — for --reuse too, whose nodes are decoded
        // when the search starts (no counterexample here to end the run before).
        try (lines.dropLast().joined(separator: "\n") + "\n{not json\n").write(toFile: trace, atomically: true, encoding: .utf8)
        for option in ["--resume", "--reuse"] {
            let damaged = try CLITests.run(["verify", net, prop, option, trace])
            #expect(
                damaged.status == 2 && damaged.stderr.contains("\(trace): ")
                    && damaged.stderr.contains("line \(lines.count): malformed node record"),
                "\(option): \(damaged.stderr)")
        }
        try (lines.prefix(3).joined(separator: "\n") + "\n").write(toFile: trace, atomically: true, encoding: .utf8)
        let truncated = try CLITests.run(["verify", net, prop, "--reuse", trace])
        #expect(truncated.status == 2 && truncated.stderr.contains("the file holds 2"), "\(truncated.stderr)")
    }
}
