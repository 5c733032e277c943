import Foundation
import Network
import ONNX
import Testing
import VNNLib
import Verifier

/// Item 8 of the soundness audit: a counterexample is replayed on the ONNX graph as stored, not only on the
/// folded network (Gemm → Div 7.3 → Add 0.37: the folded network multiplies by 1/7.3 and can land an ulp away
/// from what ONNX Runtime computes).
struct ReplayTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ONNXTests/Fixtures/replay/gemm_div_add.onnx").path

    /// A single-point property at a Float32 input where the folded network's Float64 and Float32 outputs both
    /// reach a threshold that the stored graph's output misses by an ulp.
    static func ulpProperty(network: Network, reference: any ReferenceEvaluator) -> Specification? {
        var seed: UInt64 = 1
        for _ in 0..<2_000 {
            let x = (0..<network.inputCount).map { _ -> Float in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int(seed >> 40) % 2001 - 1000) / 997
            }
            let y64 = network.evaluate(x.map(Double.init)), y32 = network.evaluate(x)
            guard let yr = reference.evaluate(x) else { continue }
            for j in 0..<network.outputCount {
                let reached = Swift.min(y64[j], Double(y32[j]))
                if reached > Double(yr[j]) {
                    return property(x: x, output: j, outputs: network.outputCount, threshold: reached)
                }
            }
        }
        return nil
    }

    static func property(x: [Float], output: Int, outputs: Int, threshold: Double) -> Specification? {
        var text = x.indices.map { "(declare-const X_\($0) Real)" }.joined(separator: "\n") + "\n"
        text += (0..<outputs).map { "(declare-const Y_\($0) Real)" }.joined(separator: "\n") + "\n"
        for (i, v) in x.enumerated() { text += "(assert (>= X_\(i) \(Double(v))))\n(assert (<= X_\(i) \(Double(v))))\n" }
        text += "(assert (>= Y_\(output) \(threshold)))\n"
        return try? VNNLibParser.parse(contents: text).specification()
    }

    @Test func aWitnessTheStoredGraphRejectsIsNotReported() throws {
        let (network, reference) = try NetworkLoader.loadWithReference(path: Self.model)
        let replay = try #require(reference)
        let spec = try #require(Self.ulpProperty(network: network, reference: replay), "an input an ulp apart")
        let options = VerificationOptions(timeout: 5, search: SearchOptions(workers: 1))
        // On the folded network alone the point passes both forward passes: sat.
        guard case .violated = try Verifier(options: options).verify(network: network, specification: spec).verdict
        else {
            Issue.record("the folded network should confirm the point")
            return
        }
        // Replayed on the graph, it misses the threshold: never sat.
        let verdict = try Verifier(options: options).verify(network: network, specification: spec, reference: replay)
            .verdict
        if case .violated = verdict { Issue.record("a witness the stored graph rejects was reported") }
    }

    @Test func reportedWitnessesCarryTheReplayAndTheirMargin() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("properties/tiny")
        let (network, reference) = try NetworkLoader.loadWithReference(path: root.appendingPathComponent("tiny.onnx").path)
        let spec = try Specification(contentsOfFile: root.appendingPathComponent("tiny_sat.vnnlib").path)
        guard case .violated(let cex) = try Verifier().verify(network: network, specification: spec, reference: reference)
            .verdict
        else {
            Issue.record("tiny_sat is sat")
            return
        }
        let replayed = try #require(cex.replayOutput)
        #expect(replayed == reference?.evaluate(cex.input.map(Float.init)))
        #expect(cex.margin >= 0)
        #expect(spec.violation(input: cex.input, output: replayed.map(Double.init)) != nil)
    }
}
