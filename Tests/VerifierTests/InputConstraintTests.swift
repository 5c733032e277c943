import Foundation
import Network
import Tensor
import Testing
import TestSupport
import VNNLib
import Verifier

/// Linear input constraints beyond a box, verified on `x ↦ [f(x); x]` (InputConstraintLifting), against the exact
/// MILP with the constraint on its input columns: on random ReLU networks, `Y_0 − Y_1 ≥ t` under
/// `a·x ≤ b` is proven for `t` above the constrained maximum and violated, with a witness that satisfies the
/// constraint, below it. On seeds 0, 4 and 5 the box alone reaches `t` in both queries (the unconstrained
/// maximum is 0.23–0.54 higher): the proofs rest on the constraint.
struct InputConstraintTests {
    static func decimal(_ v: Double) -> String { String(format: "%.17f", v) }

    @Test(arguments: UInt64(0)..<8)
    func verdictsAgreeWithTheExactMILP(seed: UInt64) throws {
        var rng = SplitMix64(seed: 1_000 + seed)
        let net = try DifferentialTests.mlp([3, 6, 6, 2], &rng)
        let a = (0..<3).map { _ in rng.nextGaussian() }
        let b = 0.3 * rng.nextGaussian()
        let box = Box(lower: [-1, -1, -1], upper: [1, 1, 1])
        let constraint = LinearConstraint(coefficients: a, bound: b)
        let objective = [(network: 0, output: 0, coefficient: 1.0), (network: 0, output: 1, coefficient: -1.0)]
        let constrained = try #require(try ExactMILP.maximum(
            box: box, networks: [(net, [0, 1, 2])], objective: objective, inputConstraints: [constraint]))
        let free = try #require(try ExactMILP.maximum(box: box, networks: [(net, [0, 1, 2])], objective: objective))
        #expect(constrained <= free + 1e-9)
        let bounds = (0..<3).map { "(assert (>= X_\($0) -1.0)) (assert (<= X_\($0) 1.0))" }.joined(separator: " ")
        let row = "(+ " + (0..<3).map { "(* \(Self.decimal(a[$0])) X_\($0))" }.joined(separator: " ") + ")"
        for (t, holds) in [(constrained + 0.05, true), (constrained - 0.05, false)] {
            let spec = try SoundnessAuditTests.property(
                inputs: 3, outputs: 2,
                "\(bounds) (assert (<= \(row) \(Self.decimal(b)))) (assert (>= (- Y_0 Y_1) \(Self.decimal(t))))")
            #expect(spec.cases.allSatisfy { !$0.inputConstraints.isEmpty })
            let verdict = try SoundnessAuditTests.verify(net, spec)
            if holds {
                #expect(verdict == .proven, "seed \(seed): t = \(t) above the constrained maximum \(constrained)")
            } else {
                guard case .violated(let cex) = verdict else {
                    Issue.record("seed \(seed): t = \(t) below the constrained maximum \(constrained): \(verdict)")
                    continue
                }
                #expect(constraint.value(at: cex.input) <= b)
                #expect(cex.output.count == 2)
                #expect(cex.output[0] - cex.output[1] >= t)
            }
        }
    }
}
