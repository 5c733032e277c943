@testable import Differential
import Tensor
import Testing

@Suite struct ReLUDifferenceTests {
    /// A random interval endpoint pattern: negative, positive, straddling or touching zero.
    static func interval(_ rng: inout SplitMix64) -> (Double, Double) {
        let pick = { (rng: inout SplitMix64) -> Double in
            [0.0, -1, 1, -0.25, 0.5, -2, 3][Int(rng.next() % 7)] * Double.random(in: 0.5...1.5, using: &rng)
        }
        let a = pick(&rng), b = pick(&rng)
        return (min(a, b), max(a, b))
    }

    /// Every case of the rule on 20000 random interval triples: for points `z_f`, `z_g` of the intervals whose
    /// difference lies in the δ interval, `relu(z_g) − relu(z_f)` lies inside the result.
    @Test func everySignCaseIsSound() {
        var rng = SplitMix64(seed: 2020)
        for trial in 0..<20000 {
            let f = Self.interval(&rng), g = Self.interval(&rng)
            var points: [(Double, Double)] = [(f.0, g.0), (f.0, g.1), (f.1, g.0), (f.1, g.1)]
            for _ in 0..<20 {
                points.append((Double.random(in: f.0...f.1, using: &rng), Double.random(in: g.0...g.1, using: &rng)))
            }
            // δ interval: the hull of some points' differences, sometimes widened; points outside it are dropped.
            let kept = points.filter { _ in rng.next() % 3 != 0 }
            guard let first = kept.first else { continue }
            var d = (first.1 - first.0, first.1 - first.0)
            for p in kept { d = (min(d.0, p.1 - p.0), max(d.1, p.1 - p.0)) }
            if rng.next() % 2 == 0 { d = (d.0 - 0.3, d.1 + 0.1) }
            let r = ReLUDifference.neuron(delta: d, f: f, g: g, margins: SoundnessMargins())
            for p in points where p.1 - p.0 >= d.0 && p.1 - p.0 <= d.1 {
                let diff = max(0, p.1) - max(0, p.0)
                #expect(r.0 <= diff && diff <= r.1, "trial \(trial): f \(f) g \(g) δ \(d) point \(p) → \(r)")
            }
        }
    }
}
