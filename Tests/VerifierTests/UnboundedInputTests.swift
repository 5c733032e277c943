import Network
import Tensor
import Testing
import VNNLib
import Verifier

/// Queries that leave an input unbounded: by default refused when normalised; with `allowsUnboundedInputs`
/// the verifier searches a window, reports witnesses found there, and never proves such a case.
struct UnboundedInputTests {
    /// `y = a·x0 + b·x1`.
    static func network(_ a: Double, _ b: Double) throws -> Network {
        try Network(inputShape: [1, 2], layers: [.dense(Dense(weights: Matrix([[a, b]]), bias: [0]))])
    }

    /// `x0 ∈ [0, 1]`, `x1` unbounded, violated when `y ≥ threshold`.
    static func query(_ threshold: Double, allowing: Bool = true) throws -> Specification {
        try VNNLibParser.parse(contents: """
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            (declare-const Y_0 Real)
            (assert (>= X_0 0.0))
            (assert (<= X_0 1.0))
            (assert (>= Y_0 \(threshold)))
            """).specification(options: Query.NormalizationOptions(allowsUnboundedInputs: allowing))
    }

    static let verifier = Verifier(options: VerificationOptions(timeout: 10))

    @Test func refusedUnlessAllowed() throws {
        #expect(throws: VNNLibError.self) { try Self.query(1.5, allowing: false) }
        let spec = try Self.query(1.5)
        #expect(spec.cases[0].inputBox.lower[1] == -.infinity && spec.cases[0].inputBox.upper[1] == .infinity)
    }

    @Test func aWitnessInTheWindowIsSat() throws {
        let result = try Self.verifier.verify(network: Self.network(1, 1), specification: Self.query(1.5))
        guard case .violated(let cex) = result.verdict else {
            Issue.record("expected sat, got \(result.verdict)")
            return
        }
        #expect(cex.input[0] + cex.input[1] >= 1.5 && (0...1).contains(cex.input[0]))
    }

    /// `y = x0 ≤ 1` everywhere, so the window holds no witness; the case is still not proven, only searched.
    @Test func noWitnessInTheWindowIsUnknownNotUnsat() throws {
        for network in [try Self.network(1, 0), try Self.network(1, 1)] {
            let threshold = network == (try Self.network(1, 0)) ? 1.5 : 5.0
            let result = try Self.verifier.verify(network: network, specification: Self.query(threshold))
            guard case .unknown(let reason) = result.verdict else {
                Issue.record("expected unknown, got \(result.verdict)")
                continue
            }
            #expect(reason.contains("unbounded"))
        }
    }
}
