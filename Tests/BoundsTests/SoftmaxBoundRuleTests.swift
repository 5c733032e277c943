@testable import Bounds
import Network
import Tensor
import Testing

/// The softmax rule: its interval is the exact range of each output over a box (attained at a corner), its lines
/// hold on samples and corners, and unbounded or point boxes give no NaN.
@Suite struct SoftmaxBoundRuleTests {
    static let softmax = Softmax(size: 4)
    static let rule = SoftmaxBoundRule(softmax: softmax, count: 8)

    /// Two groups of 4 logits in a random box of half-width up to `radius`.
    static func box(seed: UInt64, radius: Double) -> Box {
        var rng = SplitMix64(seed: seed)
        let centre = (0..<8).map { _ in 3 * rng.nextGaussian() }
        let half = (0..<8).map { _ in radius * Double.random(in: 0...1, using: &rng) }
        return Box(lower: zip(centre, half).map { $0 - $1 }, upper: zip(centre, half).map { $0 + $1 })
    }

    /// The corner where output `i` is smallest (`x_i` low, the rest of its group high) or largest.
    static func corner(_ box: Box, output i: Int, smallest: Bool) -> [Double] {
        (0..<box.dimension).map { j in
            let own = j == i
            return own == smallest ? box.lower[j] : box.upper[j]
        }
    }

    @Test(arguments: 0..<20 as Range<UInt64>)
    func intervalIsTheExactRangeAndTheLinesHold(seed: UInt64) {
        let box = Self.box(seed: seed, radius: seed % 2 == 0 ? 0.3 : 4)
        let interval = Self.rule.interval(box, margins: SoundnessMargins())
        let lines = Self.rule.relaxation(for: box, margins: SoundnessMargins())
        for i in 0..<8 {
            let low = Self.softmax.apply(Self.corner(box, output: i, smallest: true))[i]
            let high = Self.softmax.apply(Self.corner(box, output: i, smallest: false))[i]
            #expect(interval.lower[i] <= low && low - interval.lower[i] <= 1e-10, "seed \(seed) output \(i)")
            #expect(interval.upper[i] >= high && interval.upper[i] - high <= 1e-10, "seed \(seed) output \(i)")
        }
        var rng = SplitMix64(seed: seed &+ 99)
        var points = (0..<2000).map { _ in
            (0..<8).map { box.lower[$0] + Double.random(in: 0...1, using: &rng) * (box.upper[$0] - box.lower[$0]) }
        }
        points += (0..<8).flatMap { i in [true, false].map { Self.corner(box, output: i, smallest: $0) } }
        for x in points {
            let y = Self.softmax.apply(x)
            for i in 0..<8 {
                #expect(y[i] >= interval.lower[i] && y[i] <= interval.upper[i], "seed \(seed) output \(i)")
                let lower = lines.lowerSlope[i] * x[i] + lines.lowerIntercept[i]
                let upper = lines.upperSlope[i] * x[i] + lines.upperIntercept[i]
                #expect(lower <= y[i] && y[i] <= upper, "seed \(seed) output \(i): \(lower) ≤ \(y[i]) ≤ \(upper)")
            }
        }
    }

    /// An unbounded logit leaves its group's other outputs in [0, 1] and its own above 0; a point box is exact.
    @Test func unboundedAndPointBoxes() {
        var box = Self.box(seed: 5, radius: 1)
        box.upper[1] = .infinity
        let interval = Self.rule.interval(box, margins: SoundnessMargins())
        let lines = Self.rule.relaxation(for: box, margins: SoundnessMargins())
        let values = interval.lower + interval.upper + lines.lowerSlope + lines.lowerIntercept + lines.upperSlope
            + lines.upperIntercept
        #expect(values.allSatisfy { !$0.isNaN })
        #expect(interval.lower[0] == 0 && interval.upper[1] == 1 && interval.lower[4] > 0)
        let x = Self.box(seed: 6, radius: 1).lower
        let point = Self.rule.interval(Box(lower: x, upper: x), margins: SoundnessMargins())
        let y = Self.softmax.apply(x)
        for i in 0..<8 { #expect(point.upper[i] - point.lower[i] <= 1e-10 && point.lower[i] <= y[i] && y[i] <= point.upper[i]) }
    }

    /// A group of one is the constant 1.
    @Test func aGroupOfOneIsOne() {
        let rule = SoftmaxBoundRule(softmax: Softmax(size: 1), count: 3)
        let box = Box(lower: [-5, 0, 2], upper: [-1, 3, 9])
        let interval = rule.interval(box, margins: SoundnessMargins())
        let lines = rule.relaxation(for: box, margins: SoundnessMargins())
        for i in 0..<3 {
            #expect(interval.lower[i] >= 1 - 1e-13 && interval.upper[i] == 1)
            #expect(lines.lowerIntercept[i] >= 1 - 1e-13 && lines.upperIntercept[i] == 1)
        }
    }
}
