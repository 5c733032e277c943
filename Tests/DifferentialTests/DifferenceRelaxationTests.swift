@testable import Differential
import Tensor
import Testing

@Suite struct DifferenceRelaxationTests {
    /// Every candidate the selection may keep, over 20000 random interval triples (all sign cases of `z_f` and
    /// `z_g`, `δ` straddling or not): for points `z_f`, `z_g` of the intervals whose difference lies in the `δ`
    /// interval, `lower(z_f, δ) ≤ relu(z_g) − relu(z_f) ≤ upper(z_f, δ)`.
    @Test func linesEncloseTheReLUDifference() {
        var rng = SplitMix64(seed: 2020)
        let n = 20000
        var f = Box(point: [Double](repeating: 0, count: n)), g = f, d = f
        var points: [[(Double, Double)]] = []
        for j in 0..<n {
            let a = ReLUDifferenceTests.interval(&rng), b = ReLUDifferenceTests.interval(&rng)
            (f.lower[j], f.upper[j]) = a
            (g.lower[j], g.upper[j]) = b
            var p: [(Double, Double)] = [(a.0, b.0), (a.0, b.1), (a.1, b.0), (a.1, b.1)]
            for _ in 0..<20 {
                p.append((Double.random(in: a.0...a.1, using: &rng), Double.random(in: b.0...b.1, using: &rng)))
            }
            let kept = p.filter { _ in rng.next() % 3 != 0 }
            var delta = kept.first.map { ($0.1 - $0.0, $0.1 - $0.0) } ?? (b.0 - a.1, b.1 - a.0)
            for q in kept { delta = (min(delta.0, q.1 - q.0), max(delta.1, q.1 - q.0)) }
            if rng.next() % 2 == 0 { delta = (delta.0 - 0.3, delta.1 + 0.1) }
            (d.lower[j], d.upper[j]) = delta
            points.append(p.filter { $0.1 - $0.0 >= delta.0 && $0.1 - $0.0 <= delta.1 })
        }
        let r = DifferenceRelaxation(inputF: f, inputG: g, delta: d, margins: SoundnessMargins())
        var checked = 0
        for j in 0..<n {
            for (zf, zg) in points[j] {
                let diff = max(0, zg) - max(0, zf), dz = zg - zf
                #expect(r.lower[j].value(zf, dz) <= diff + 1e-12, "neuron \(j): f \(f.lower[j])…\(f.upper[j])")
                #expect(diff <= r.upper[j].value(zf, dz) + 1e-12, "neuron \(j): g \(g.lower[j])…\(g.upper[j])")
                checked += 1
            }
        }
        #expect(checked > 100_000)
    }

    /// With `δ ∈ [0, 0]` every neuron's lines vanish on `δ = 0`: `lower(z, 0) = upper(z, 0) = 0`.
    @Test func zeroDifferenceGivesZeroLines() {
        let f = Box(lower: [-1, 0.5, -2, -0.5], upper: [1, 2, -1, 0])
        let zero = Box(point: [0, 0, 0, 0])
        let r = DifferenceRelaxation(inputF: f, inputG: f, delta: zero, margins: SoundnessMargins())
        for j in 0..<4 {
            for z in [f.lower[j], f.upper[j]] {
                #expect(r.lower[j].value(z, 0) == 0 && r.upper[j].value(z, 0) == 0, "neuron \(j)")
            }
        }
    }
}
