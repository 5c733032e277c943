import Foundation
import FuzzSupport
import Network
import ONNX
import Tensor
import Testing
import VNNLib
import Verifier

/// Seeded mutations of the shipped models and properties through the whole `verify` pipeline — import, parse,
/// normalise, verify with a 0.2 s time limit — in process: every case ends in a verdict or a typed bad-input
/// error (``ONNXError``, ``VNNLibError``, ``VerifierError``: exit code 2 in the CLI), never a trap. A `sat`
/// verdict's witness is checked against the property once more.
///
/// `NNCERT_FUZZ_ITERATIONS=N` runs `N` cases instead of the default (see docs/benchmarks.md, "Fuzzing");
/// `NNCERT_FUZZ_DUMP=DIR` writes each case to `DIR/case.onnx` and `DIR/case.vnnlib` before verifying it, so the
/// files of a case that traps are left behind for `nncert verify`.
@Suite struct PipelineFuzzTests {
    static let properties = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("properties")
    static let seed: UInt64 = 0xF022_2026
    static let defaultIterations = 150

    /// How one case ended.
    enum Outcome: String, CaseIterable {
        case sat, unsat, timeout, unknown
        case badNetwork, badProperty, badProblem
    }

    @Test func mutatedFilesEndInAVerdictOrABadInputError() throws {
        let sources = try PipelineCase.shippedPairs.map {
            try PipelineCase.Source(root: Self.properties, network: $0.network, property: $0.property)
        }
        let iterations = PipelineCase.iterations(default: Self.defaultIterations)
        let dump = ProcessInfo.processInfo.environment["NNCERT_FUZZ_DUMP"]
        var counts: [Outcome: Int] = [:]
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<iterations {
            let fuzzCase = PipelineCase(index: index, seed: Self.seed, sources: sources)
            if let dump { try Self.write(fuzzCase, index: index, to: dump) }
            counts[Self.run(fuzzCase, index: index), default: 0] += 1
        }
        let summary = Outcome.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        print("pipeline fuzz: \(iterations) cases in \(clock.now - start): \(summary)")
        #expect(counts.values.reduce(0, +) == iterations)
        if iterations >= Self.defaultIterations {
            // The campaign reaches the verifier and exercises the rejections, or it tests little.
            #expect((counts[.sat] ?? 0) + (counts[.unsat] ?? 0) + (counts[.timeout] ?? 0) > iterations / 10)
            #expect((counts[.badNetwork] ?? 0) > 0 && (counts[.badProperty] ?? 0) > 0)
        }
    }

    /// The trap the campaign found before the audit's fixes: no output constraint and X_0 in [0.1, 0.1] (no
    /// Float32 value) trapped `nncert verify properties/tiny/tiny.onnx` in Falsifier.descend. Now every input
    /// violates, no Float32 one exists: `unknown`; with X_0 in [0.5, 0.5], `sat`.
    @Test func formerTrapPatternEndsInAVerdict() throws {
        func verdict(_ x0: String) throws -> Verdict {
            let spec = try VNNLibParser.parse(contents: """
                (declare-const X_0 Real)
                (declare-const X_1 Real)
                (declare-const Y_0 Real)
                (declare-const Y_1 Real)
                (assert (>= X_0 \(x0)))
                (assert (<= X_0 \(x0)))
                (assert (>= X_1 0.0))
                (assert (<= X_1 1.0))
                """).specification()
            let network = try NetworkLoader.load(path: Self.properties.appendingPathComponent("tiny/tiny.onnx").path)
            return try Verifier(options: VerificationOptions(timeout: 5)).verify(network: network, specification: spec)
                .verdict
        }
        guard case .unknown = try verdict("0.1") else {
            Issue.record("expected unknown")
            return
        }
        guard case .violated = try verdict("0.5") else {
            Issue.record("expected sat")
            return
        }
    }

    /// Imports, parses and verifies one case, as `nncert verify` does.
    static func run(_ fuzzCase: PipelineCase, index: Int) -> Outcome {
        let network: Network
        do {
            network = try ONNXImporter.network(from: Data(fuzzCase.network), fileName: "case\(index).onnx")
        } catch {
            #expect(error.description.hasPrefix("case\(index).onnx"))
            return .badNetwork
        }
        let spec: Specification
        do {
            spec = try VNNLibParser.parse(
                contents: String(decoding: fuzzCase.property, as: UTF8.self), fileName: "case\(index).vnnlib"
            ).specification()
        } catch {
            #expect(error.description.hasPrefix("case\(index).vnnlib"))
            return .badProperty
        }
        let result: VerificationResult
        do {
            result = try Verifier(options: VerificationOptions(timeout: 0.2)).verify(network: network, specification: spec)
        } catch {
            #expect(!error.description.isEmpty)
            return .badProblem
        }
        switch result.verdict {
        case .violated(let cex):
            let box = spec.cases[cex.caseIndex].inputBox
            #expect(box.contains(cex.input), "case \(index): witness outside its box")
            #expect(network.evaluate(cex.input) == cex.output, "case \(index): witness output")
            #expect(spec.violation(input: cex.input, output: cex.output) != nil, "case \(index): witness")
            return .sat
        case .proven: return .unsat
        case .timeout: return .timeout
        case .unknown: return .unknown
        }
    }

    static func write(_ fuzzCase: PipelineCase, index: Int, to folder: String) throws {
        let dir = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(fuzzCase.network).write(to: dir.appendingPathComponent("case.onnx"))
        try Data(fuzzCase.property).write(to: dir.appendingPathComponent("case.vnnlib"))
        try Data("\(index) \(PipelineCase.shippedPairs[fuzzCase.pair]) \(fuzzCase.mutated)\n".utf8)
            .write(to: dir.appendingPathComponent("case.txt"))
    }
}
