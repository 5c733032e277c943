import Differential
import Network
import NetworkCompression
import Tensor
import Testing
import TestSupport

/// Pairs of different layer structure (a low-rank copy adds a dense layer; an unrelated network of another depth):
/// the refinement bounds them by CROWN on the product network `x ↦ g(x) − f(x)`, soundly, tighter with splits.
struct ProductFallbackTests {
    /// A wide 4-input MLP and a low-rank copy (rank 2 of every dense layer where that is smaller).
    static func lowRankPair(seed: UInt64) throws -> (Network, Network) {
        var rng = SplitMix64(seed: seed)
        let f = try RandomNetworks.mlp(
            [4, 24, 24, 3], weight: { (2 / Double($0)).squareRoot() * rng.nextGaussian() }, bias: { 0.1 * rng.nextGaussian() })
        let g = try CompressionPipeline([.lowRank(LowRankFactorization(.rank(4)))]).apply(to: f).network
        return (f, g)
    }

    @Test(arguments: 0..<6 as Range<UInt64>)
    func lowRankCopiesAreBoundedThroughTheProductNetwork(seed: UInt64) throws {
        let (f, g) = try Self.lowRankPair(seed: seed)
        #expect(g.layers.count > f.layers.count)
        let box = DifferencePairs.box(dimension: 4, radius: 0.5, seed: seed)
        let unsplit = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: .splits(0))
        let split = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: .splits(60))
        #expect(unsplit.method == .productNetwork && split.method == .productNetwork)
        #expect(split.certifiedWorst <= unsplit.certifiedWorst)
        DifferencePairs.expectDifferenceWithin(
            lower: split.bounds.lower, upper: split.bounds.upper, f: f, g: g, box: box, samples: 500,
            seed: seed &+ 5, "seed \(seed)")
    }

    @Test func networksOfOtherInputsAreStillRefused() throws {
        let f = try DifferencePairs.mlp(seed: 1)
        var rng = SplitMix64(seed: 2)
        let g = try RandomNetworks.mlp([f.inputCount + 1, 4, f.outputCount], weight: { _ in rng.nextGaussian() }, bias: { 0 })
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.5, seed: 1)
        #expect(throws: DifferentialError.self) {
            try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: .splits(0))
        }
    }
}
