@testable import Differential
import Network
import NetworkCompression
import Tensor
import Testing
import TestSupport

@Suite struct SymbolicDifferenceTests {
    /// Deep pairs (4 hidden layers of 24), 8-bit quantised or 30%-pruned, over a wide box: the symbolic bound is
    /// sound on 300 samples and never looser than the interval-only one; summed over 12 pairs it is several
    /// times tighter.
    @Test func symbolicIsSoundAndTighterThanInterval() throws {
        var symbolicSum = 0.0, intervalSum = 0.0
        for seed in 0..<12 as Range<UInt64> {
            let (f, g, box) = try Self.deepPair(seed: seed)
            let symbolic = try DifferenceBounds.leaf(original: f, compressed: g, over: box, margins: SoundnessMargins()).bounds
            let interval = try DifferenceBounds.leaf(
                original: f, compressed: g, over: box, margins: SoundnessMargins(), symbolic: false).bounds
            DifferencePairs.expectDifferenceWithin(
                lower: symbolic.lower, upper: symbolic.upper, f: f, g: g, box: box, samples: 300, seed: seed &+ 3,
                "seed \(seed)")
            for i in symbolic.lower.indices {
                #expect(symbolic.lower[i] >= interval.lower[i] && symbolic.upper[i] <= interval.upper[i])
            }
            symbolicSum += symbolic.worst
            intervalSum += interval.worst
        }
        print("deep pairs: Σ max|g−f| symbolic \(symbolicSum), interval \(intervalSum)")
        #expect(symbolicSum < 0.5 * intervalSum, "symbolic Σ \(symbolicSum), interval Σ \(intervalSum)")
    }

    /// One concrete pair, the number asserted: seed 3 (30% pruned), symbolic max |g − f| 37.6 against the
    /// interval-only (and naive) 85.9.
    @Test func concretePairBound() throws {
        let (f, g, box) = try Self.deepPair(seed: 3)
        let symbolic = try DifferenceBounds.compute(original: f, compressed: g, over: box)
        let interval = try DifferenceBounds.leaf(
            original: f, compressed: g, over: box, margins: SoundnessMargins(), symbolic: false).bounds
        print("seed 3: symbolic \(symbolic.worst), interval \(interval.worst), naive \(symbolic.naiveMaxAbsolute.max()!)")
        #expect(abs(symbolic.worst - Self.concreteSymbolic) < 1e-6 * Self.concreteSymbolic)
        #expect(abs(interval.worst - Self.concreteInterval) < 1e-6 * Self.concreteInterval)
    }

    static let concreteSymbolic = 37.63101988495765
    static let concreteInterval = 85.89666613626049

    /// `f` (inputs 4, hidden 24 × 4, outputs 3), its compressed copy (even seeds 8-bit, odd 30% pruned) and the
    /// box of radius 1.
    static func deepPair(seed: UInt64) throws -> (Network, Network, Box) {
        var rng = SplitMix64(seed: seed &+ 100)
        let f = try RandomNetworks.mlp(
            [4, 24, 24, 24, 24, 3], weight: { (2 / Double($0)).squareRoot() * rng.nextGaussian() },
            bias: { 0.1 * rng.nextGaussian() })
        let step: CompressionStep = seed % 2 == 0
            ? .quantize(Quantization(.uniform(bits: 8))) : .prune(MagnitudePruning(.fraction(0.3, .global)))
        let g = try CompressionPipeline([step]).apply(to: f).network
        return (f, g, DifferencePairs.box(dimension: 4, radius: 1, seed: seed))
    }
}
