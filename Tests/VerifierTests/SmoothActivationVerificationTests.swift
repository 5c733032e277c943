import Network
import Tensor
import Testing
import VNNLib
import Verifier

/// Sigmoid and tanh networks: bounded by CROWN's smooth-activation relaxation, split on inputs (the LP relaxation
/// does not cover them and is skipped). Every verdict is checked against dense sampling: `unsat` must not be
/// contradicted by any sample, and `sat` must carry a witness the forward pass confirms.
struct SmoothActivationVerificationTests {
    static func network(seed: UInt64, activation: Layer) throws -> Network {
        var rng = SplitMix64(seed: seed)
        func dense(_ n: Int, _ m: Int) -> Layer {
            .dense(Dense(weights: Matrix(rows: m, columns: n, storage: (0..<(m * n)).map { _ in rng.nextGaussian() }),
                         bias: (0..<m).map { _ in 0.3 * rng.nextGaussian() }))
        }
        return try Network(inputShape: [1, 2], layers: [dense(2, 8), activation, dense(8, 6), .relu, dense(6, 1)])
    }

    /// `x ∈ [−1, 1]²`, violated when `y ≥ threshold`.
    static func query(_ threshold: Double) throws -> Specification {
        try VNNLibParser.parse(contents: """
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            (declare-const Y_0 Real)
            (assert (>= X_0 -1.0))
            (assert (<= X_0 1.0))
            (assert (>= X_1 -1.0))
            (assert (<= X_1 1.0))
            (assert (>= Y_0 \(threshold)))
            """).specification()
    }

    @Test(arguments: [(UInt64(1), Layer.sigmoid), (2, .sigmoid), (3, .tanh), (4, .tanh)])
    func verdictsAgreeWithSampling(seed: UInt64, activation: Layer) throws {
        let network = try Self.network(seed: seed, activation: activation)
        var rng = SplitMix64(seed: seed)
        var sampledMax = -Double.infinity
        for _ in 0..<20_000 {
            let x = (0..<2).map { _ in Double(rng.next() >> 11) * 0x1p-52 - 1 }
            sampledMax = max(sampledMax, network.evaluate(x)[0])
        }
        let verifier = Verifier(options: VerificationOptions(timeout: 20))
        // Above the sampled maximum by a margin: the proof must go through. Below it: a witness must be found.
        let above = try verifier.verify(network: network, specification: Self.query(sampledMax + 0.05))
        #expect(above.verdict == .proven, "seed \(seed): \(above.verdict), sampled max \(sampledMax)")
        let below = try verifier.verify(network: network, specification: Self.query(sampledMax - 0.05))
        guard case .violated(let cex) = below.verdict else {
            Issue.record("seed \(seed): expected sat, got \(below.verdict)")
            return
        }
        #expect(network.evaluate(cex.input)[0] >= sampledMax - 0.05)
    }
}
