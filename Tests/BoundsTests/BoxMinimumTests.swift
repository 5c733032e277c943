@testable import Bounds
import Tensor
import Testing

/// `SoundnessMargins.boxMinimum`, the concretisation of every linear bound over a box: a lower bound of
/// `a·x + c` at every point of the box, attained (up to its margin) at the corner it picks.
@Suite struct BoxMinimumTests {
    let margins = SoundnessMargins()

    /// `a·x + c`, summed exactly enough for the comparison (the margins are far above its rounding).
    func value(_ a: [Double], _ c: Double, at x: [Double]) -> Double { zip(a, x).reduce(c) { $0 + $1.0 * $1.1 } }

    @Test func lowerAndUpperBoundOnSampledPoints() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let n = Int.random(in: 1...8, using: &rng)
            let lower = (0..<n).map { _ in Double.random(in: -3...1, using: &rng) }
            let box = Box(lower: lower, upper: lower.map { $0 + Double.random(in: 0...2, using: &rng) })
            // Some zero coefficients, so that the skipped terms are exercised too.
            let a = (0..<n).map { _ in Bool.random(using: &rng) ? 0 : Double.random(in: -5...5, using: &rng) }
            let c = Double.random(in: -2...2, using: &rng)
            let minimum = margins.boxMinimum(of: a[...], constant: c, magnitude: Swift.abs(c), over: box)
            let maximum = -margins.boxMinimum(of: a.map { -$0 }[...], constant: -c, magnitude: Swift.abs(c), over: box)
            for _ in 0..<50 {
                let x = (0..<n).map { Double.random(in: box.lower[$0]...box.upper[$0], using: &rng) }
                let y = value(a, c, at: x)
                #expect(minimum <= y && y <= maximum, "\(minimum) ≤ \(y) ≤ \(maximum) fails")
            }
            // Exact, up to the margin, at the corners it picks.
            let low = (0..<n).map { a[$0] >= 0 ? box.lower[$0] : box.upper[$0] }
            let high = (0..<n).map { a[$0] >= 0 ? box.upper[$0] : box.lower[$0] }
            let scale = Swift.abs(c) + (0..<n).reduce(0) {
                $0 + Swift.abs(a[$1]) * Swift.max(Swift.abs(box.lower[$1]), Swift.abs(box.upper[$1]))
            }
            let slack = margins.widening(scale) * (1 + 1e-6) + 1e-15 * scale
            #expect(minimum <= value(a, c, at: low) && value(a, c, at: low) - minimum <= slack)
            #expect(maximum >= value(a, c, at: high) && maximum - value(a, c, at: high) <= slack)
        }
    }

    @Test func infiniteSides() {
        let box = Box(lower: [-.infinity, 0], upper: [1, 2])
        // A zero coefficient on an infinite side costs nothing; a nonzero one makes the margin, so the bound, infinite.
        #expect(margins.boxMinimum(of: [0, 1][...], constant: 0, magnitude: 0, over: box) == -margins.widening(2))
        #expect(margins.boxMinimum(of: [1, 0][...], constant: 0, magnitude: 0, over: box) == -.infinity)
        #expect(margins.boxMinimum(of: [-1, 0][...], constant: 0, magnitude: 0, over: box) == -.infinity)
        // ∞ − ∞ is NaN: reported as −∞, never as a NaN bound.
        #expect(margins.boxMinimum(of: [1, 1][...], constant: .infinity, magnitude: .infinity, over: box) == -.infinity)
    }
}
