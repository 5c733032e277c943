import Network
import ONNX
import Tensor
import Testing
import VNNLib
import Verifier

/// Networks ending in a softmax: bounded through the softmax rule (two sigmoids of each logit), split on inputs.
/// Verdicts are checked against a closed form and against dense sampling, as for sigmoid and tanh.
struct SoftmaxVerificationTests {
    /// `x ∈ [lower, upper]²`, violated when `assertion` holds of the outputs.
    static func query(lower: Double, upper: Double, outputs: Int, _ assertion: String) throws -> Specification {
        let outputsDeclared = (0..<outputs).map { "(declare-const Y_\($0) Real)" }.joined(separator: "\n")
        return try VNNLibParser.parse(contents: """
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            \(outputsDeclared)
            (assert (>= X_0 \(lower)))
            (assert (<= X_0 \(upper)))
            (assert (>= X_1 \(lower)))
            (assert (<= X_1 \(upper)))
            (assert \(assertion))
            """).specification()
    }

    /// `softmax(x)` on `[0, 1]²`: `Y_0 = σ(x_0 − x_1)` reaches at most `σ(1) = 0.7311` (at `x = (1, 0)`).
    @Test func closedFormMaximum() throws {
        let network = try Network(
            inputShape: [1, 2], layers: [.dense(Dense(weights: Matrix.identity(2), bias: [0, 0])), .softmax(Softmax(size: 2))])
        let verifier = Verifier(options: VerificationOptions(timeout: 20))
        let above = try verifier.verify(
            network: network, specification: Self.query(lower: 0, upper: 1, outputs: 2, "(>= Y_0 0.735)"))
        #expect(above.verdict == .proven, "\(above.verdict)")
        let below = try verifier.verify(
            network: network, specification: Self.query(lower: 0, upper: 1, outputs: 2, "(>= Y_0 0.725)"))
        guard case .violated(let cex) = below.verdict else {
            Issue.record("expected sat, got \(below.verdict)")
            return
        }
        #expect(network.evaluate(cex.input)[0] >= 0.725 && cex.input[0] > cex.input[1])
    }

    /// `softmax(x)` on `[−10, 10]⁴`: two outputs never sum above 1. Each output's own bounds reach 1 wherever its
    /// logit may lead, so only the group identity `Σ y = 1` in back-substitution proves it (at the root).
    @Test func twoOutputsNeverSumAboveOne() throws {
        let network = try Network(
            inputShape: [1, 4], layers: [.dense(Dense(weights: Matrix.identity(4), bias: [0, 0, 0, 0])), .softmax(Softmax(size: 4))])
        let spec = try VNNLibParser.parse(contents: (0..<4).map { "(declare-const X_\($0) Real)\n" }.joined()
            + (0..<4).map { "(declare-const Y_\($0) Real)\n" }.joined()
            + (0..<4).map { "(assert (>= X_\($0) -10.0))\n(assert (<= X_\($0) 10.0))\n" }.joined()
            + "(assert (>= (+ Y_0 Y_1) 1.001))").specification()
        let result = try Verifier(options: VerificationOptions(timeout: 20)).verify(network: network, specification: spec)
        #expect(result.verdict == .proven, "\(result.verdict)")
        #expect(result.statistics.nodes <= 1, "\(result.statistics.nodes) nodes")
    }

    /// MNIST-FC 256x2 with a softmax appended, against robustness properties (every row `Y_label − Y_j ≤ 0`):
    /// the softmax keeps the order of the logits, so the search runs on the logits and decides as fast as on the
    /// network without it; a counterexample is reported with the softmax outputs, confirmed on the whole network.
    @Test(arguments: [("prop_0_0.03", false), ("prop_1_0.05", true)])
    func classifierWithSoftmaxDecidesOnItsLogits(property: String, sat: Bool) throws {
        let plain = try NetworkLoader.load(
            path: RegressionTests.properties.appendingPathComponent("mnistfc/mnist-net_256x2.onnx").path)
        let network = try Network(inputShape: plain.inputShape, layers: plain.layers + [.softmax(Softmax(size: 10))])
        let spec = try Specification(
            contentsOfFile: RegressionTests.properties.appendingPathComponent("mnistfc/\(property).vnnlib").path)
        let result = try Verifier(options: VerificationOptions(timeout: 30)).verify(network: network, specification: spec)
        switch (sat, result.verdict) {
        case (false, .proven): break
        case (true, .violated(let cex)):
            #expect(abs(cex.output.reduce(0, +) - 1) <= 1e-9 && cex.output == network.evaluate(cex.input))
            #expect(spec.violation(input: cex.input, output: cex.output) != nil)
        default: Issue.record("\(property): \(result.verdict)")
        }
    }

    /// Random ReLU networks with a 3-way softmax on `[−1, 1]²`: a threshold on an output above the sampled maximum
    /// is proven, one below it is violated with a confirmed witness; "class 1 beats class 0" agrees with sampling.
    @Test(arguments: [UInt64(1), 2, 3])
    func verdictsAgreeWithSampling(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed &+ 40)
        func dense(_ n: Int, _ m: Int) -> Layer {
            .dense(Dense(weights: Matrix(rows: m, columns: n, storage: (0..<(m * n)).map { _ in rng.nextGaussian() }),
                         bias: (0..<m).map { _ in 0.3 * rng.nextGaussian() }))
        }
        let network = try Network(
            inputShape: [1, 2], layers: [dense(2, 8), .relu, dense(8, 3), .softmax(Softmax(size: 3))])
        var sampledMax = -Double.infinity, sampledMargin = -Double.infinity
        for _ in 0..<20_000 {
            let x = (0..<2).map { _ in Double(rng.next() >> 11) * 0x1p-52 - 1 }
            let y = network.evaluate(x)
            sampledMax = max(sampledMax, y[0])
            sampledMargin = max(sampledMargin, y[1] - y[0])
        }
        let verifier = Verifier(options: VerificationOptions(timeout: 20))
        let above = try verifier.verify(
            network: network,
            specification: Self.query(lower: -1, upper: 1, outputs: 3, "(>= Y_0 \(min(sampledMax + 0.02, 1)))"))
        #expect(above.verdict == .proven, "seed \(seed): \(above.verdict), sampled max \(sampledMax)")
        let below = try verifier.verify(
            network: network,
            specification: Self.query(lower: -1, upper: 1, outputs: 3, "(>= Y_0 \(sampledMax - 0.02))"))
        guard case .violated(let cex) = below.verdict else {
            Issue.record("seed \(seed): expected sat, got \(below.verdict)")
            return
        }
        #expect(network.evaluate(cex.input)[0] >= sampledMax - 0.02)
        let beats = try verifier.verify(
            network: network, specification: Self.query(lower: -1, upper: 1, outputs: 3, "(>= Y_1 Y_0)"))
        switch beats.verdict {
        case .proven: #expect(sampledMargin < 0, "seed \(seed): proven, but a sample has Y_1 − Y_0 = \(sampledMargin)")
        case .violated(let w): #expect(network.evaluate(w.input)[1] >= network.evaluate(w.input)[0])
        default: Issue.record("seed \(seed): \(beats.verdict), sampled max of Y_1 − Y_0 \(sampledMargin)")
        }
    }
}
