@testable import Differential
import Network
import Tensor
import Testing
import TestSupport

/// The pieces of ``SoftmaxHead``: the pairwise layer, the softmax interval from pairwise bounds, the slope peak.
struct SoftmaxHeadTests {
    static func withSoftmax(_ network: Network) throws -> Network {
        try Network(inputShape: network.inputShape, layers: network.layers + [.softmax(Softmax(size: network.outputCount))])
    }

    @Test func thePairsNetworkComputesEveryPairwiseDifference() throws {
        let (f, _) = try RandomNetworks.noisyPair([3, 8, 5], seed: 3)
        let head = try #require(SoftmaxHead(original: Self.withSoftmax(f), compressed: Self.withSoftmax(f)))
        let x = [0.3, -0.7, 0.1]
        let z = f.evaluate(x), pairs = head.pairsOriginal.evaluate(x)
        #expect(pairs.count == 10)
        for i in 0..<5 {
            for k in (i + 1)..<5 { #expect(abs(pairs[SoftmaxHead.row(i, k, classes: 5)] - (z[i] - z[k])) < 1e-12) }
        }
        #expect(SoftmaxHead(original: f, compressed: f) == nil, "no softmax, no head")
    }

    /// Softmax of logits drawn in a box lies in the interval that the box's pairwise differences give.
    @Test func theIntervalFromPairwiseBoundsHoldsOnSamples() throws {
        let (f, _) = try RandomNetworks.noisyPair([2, 4, 4], seed: 1)
        let head = try #require(SoftmaxHead(original: Self.withSoftmax(f), compressed: Self.withSoftmax(f)))
        let softmax = Softmax(size: 4)
        var rng = SplitMix64(seed: 9)
        for _ in 0..<200 {
            let centre = (0..<4).map { _ in Double.random(in: -3...3, using: &rng) }
            let radius = (0..<4).map { _ in Double.random(in: 0...2, using: &rng) }
            var pairs = Box(lower: [Double](repeating: 0, count: 6), upper: [Double](repeating: 0, count: 6))
            for i in 0..<4 {
                for k in (i + 1)..<4 {
                    let r = SoftmaxHead.row(i, k, classes: 4)
                    pairs.lower[r] = centre[i] - radius[i] - centre[k] - radius[k]
                    pairs.upper[r] = centre[i] + radius[i] - centre[k] + radius[k]
                }
            }
            let interval = head.outputInterval(pairs: pairs)
            for _ in 0..<20 {
                let z = (0..<4).map { centre[$0] + radius[$0] * Double.random(in: -1...1, using: &rng) }
                #expect(interval.contains(softmax.apply(z)))
            }
        }
    }

    @Test func theSlopePeaksAtOneHalf() {
        #expect(SoftmaxHead.peak(0.1, 0.9) == 0.25)
        #expect(SoftmaxHead.peak(0.0, 0.2) == 0.2 * (1 - 0.2))
        #expect(SoftmaxHead.peak(0.7, 1.0) == 0.7 * (1 - 0.7))
    }
}
