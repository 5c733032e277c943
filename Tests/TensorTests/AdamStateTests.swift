import Foundation
import Tensor
import Testing

/// Adam's moments and steps (Kingma & Ba 2015), one entry at a time and in the projected bulk ascent.
@Suite struct AdamStateTests {
    /// The first step of Adam is `rate · sign(g)` (up to ε): `m̂ = g`, `v̂ = g²`.
    @Test func firstStepIsTheRateTimesTheSign() {
        var adam = AdamState(count: 2)
        adam.advance()
        #expect(abs(adam.update(at: 0, gradient: 3, rate: 0.1) - 0.1) < 1e-7)
        #expect(abs(adam.update(at: 1, gradient: -0.5, rate: 0.1) + 0.1) < 1e-7)
    }

    /// The bulk ascent takes exactly the per-entry steps, clamps to `[0, upper]`, reads a non-finite gradient as
    /// 0 and leaves an entry with zero gradient and zero first moment untouched.
    @Test func projectedAscentEqualsPerEntryUpdates() {
        var rng = SplitMix64(seed: 5)
        let n = 50
        var bulk = AdamState(count: n), single = AdamState(count: n)
        var x = (0..<n).map { _ in Double.random(in: 0...1, using: &rng) }
        var y = x
        for iteration in 0..<6 {
            var g = (0..<n).map { _ in Double.random(in: -2...2, using: &rng) }
            g[3] = .nan
            g[7] = iteration < 3 ? 0 : 1
            g[11] = .infinity
            bulk.advance()
            single.advance()
            bulk.ascend(&x, gradient: g, rate: 0.3, upper: 1)
            for i in 0..<n {
                let gi = g[i].isFinite ? g[i] : 0
                if gi == 0 && single.first[i] == 0 { continue }
                y[i] = min(1, max(0, y[i] + single.update(at: i, gradient: gi, rate: 0.3)))
            }
            #expect(x == y, "iteration \(iteration)")
            #expect(bulk.first == single.first && bulk.second == single.second)
        }
        #expect(x.allSatisfy { (0...1).contains($0) })
        #expect(bulk.first[3] == 0 && bulk.first[11] == 0)
    }
}
