import Comparison
import Differential
import Network
import Tensor
import Testing
import TestSupport

/// The certifier's second stage: when the refinement stops short of the target ratio (here: no split allowed),
/// branch and bound proves `max |g − f| ≤ 2 × attacked`, and the bound it reports holds on samples.
@Suite struct DifferenceCertifierTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func theProofReachesTheTargetWhenTheRefinementCannot(seed: UInt64) throws {
        let (f, g) = try RandomNetworks.noisyPair([3, 12, 12, 2], seed: seed)
        let box = Box(lower: [-1, -1, -1], upper: [1, 1, 1])
        let budget = DifferenceBudget(maxLeaves: 1, timeLimit: 20, targetRatio: 2, attack: DifferenceAttack())
        let unsplit = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
        let certified = try DifferenceCertifier(budget: budget).compute(original: f, compressed: g, over: box)
        let attacked = try #require(certified.attack).worst
        #expect(try #require(unsplit.ratio) > 2, "seed \(seed): the unsplit bound is already within the target")
        #expect(certified.stop == .proof)
        #expect(certified.certifiedWorst <= 2 * attacked * (1 + 1e-12))
        var rng = SplitMix64(seed: seed &+ 7)
        for _ in 0..<2000 {
            let x = (0..<3).map { _ in Double.random(in: -1...1, using: &rng) }
            for (i, (a, b)) in zip(g.evaluate(x), f.evaluate(x)).enumerated() {
                #expect(a - b >= certified.bounds.lower[i] && a - b <= certified.bounds.upper[i])
            }
        }
    }
}
