import Differential
import Network
import Tensor
import Testing

/// The attack's local search: it only ever raises the attacked values (same seed, so the same samples and ascent
/// before it), it does raise them on deep pairs, and every value is `|g − f|` at a reported point of the box.
@Test func localSearchRaisesTheAttackHonestly() throws {
    var raised = 0
    for seed in 0..<8 as Range<UInt64> {
        let (f, g, box) = try SymbolicDifferenceTests.deepPair(seed: seed)
        var without = DifferenceAttack(samples: 64, steps: 20, seed: seed)
        without.searchRounds = 0
        let plain = without.run(original: f, compressed: g, over: box)
        let searched = DifferenceAttack(samples: 64, steps: 20, seed: seed).run(original: f, compressed: g, over: box)
        #expect(zip(searched.values, plain.values).allSatisfy { $0 >= $1 })
        raised += searched.worst > plain.worst * (1 + 1e-9) ? 1 : 0
        for (i, x) in searched.inputs.enumerated() {
            #expect(box.contains(x))
            #expect(searched.values[i] == abs(g.evaluate(x)[i] - f.evaluate(x)[i]))
        }
    }
    #expect(raised >= 4)
}
