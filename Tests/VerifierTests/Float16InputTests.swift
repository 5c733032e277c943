import Network
import Tensor
import Testing
import VNNLib
import Verifier

/// VNN-LIB 2 inputs declared `float16`: proofs over the reals cover them; a counterexample counts only when its
/// inputs are Float16 values.
struct Float16InputTests {
    static let identity = try! Network(
        inputShape: [1], layers: [.dense(Dense(weights: Matrix([[1]]), bias: [0]))])

    static func query(_ output: String) throws -> Specification {
        try VNNLibParser.parse(contents: """
            (vnnlib-version <2.0>)
            (declare-network N (declare-input X float16 [1]) (declare-output Y float16 [1]))
            (assert (>= X[0] 0.0))
            (assert (<= X[0] 1.0))
            (assert \(output))
            """).specification()
    }

    @Test func proofsCoverFloat16Inputs() throws {
        let result = try Verifier().verify(network: Self.identity, specification: Self.query("(>= Y[0] 1.5)"))
        #expect(result.verdict == .proven)
    }

    @Test func aCounterexampleHasFloat16Inputs() throws {
        let result = try Verifier().verify(network: Self.identity, specification: Self.query("(>= Y[0] 0.5)"))
        switch result.verdict {
        case .violated(let cex): #expect(Double(Float16(cex.input[0])) == cex.input[0])
        case .unknown(let reason): #expect(reason.contains("float16"))
        default: Issue.record("expected sat or unknown, got \(result.verdict)")
        }
    }
}
