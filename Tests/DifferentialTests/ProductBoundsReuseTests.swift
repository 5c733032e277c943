import Bounds
@testable import Differential
import Network
import Tensor
import Testing
import TestSupport

/// The differential screen of a product-network node reads the two networks' bounds off the node's own bounds
/// (``DifferenceBounder/bounds(over:productBounds:margins:)``) instead of computing them again.
struct ProductBoundsReuseTests {
    /// A pair, a box, and the CROWN bounds of the side-by-side network `[f; g]` over it.
    static func setting(seed: UInt64) throws -> (Network, Network, Box, IntermediateBounds) {
        let f = try DifferencePairs.mlp(seed: seed)
        let g = try DifferencePairs.compressed(f, seed: seed)
        let n = f.inputCount
        let product = try Network.sideBySide([f, g], inputCount: n, inputs: [Array(0..<n), Array(0..<n)])
        let box = DifferencePairs.box(dimension: n, radius: 0.4, seed: seed)
        return (f, g, box, try BoundPropagator(network: product).intermediateBounds(over: box))
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func halvesAreEachNetworksTensors(seed: UInt64) throws {
        let (f, g, box, product) = try Self.setting(seed: seed)
        let halves = try #require(DifferenceBounder.halves(
            of: product, try BoundPropagator(network: f), try BoundPropagator(network: g), box: box))
        var rng = SplitMix64(seed: seed &+ 11)
        for _ in 0..<200 {
            let x = DifferencePairs.sample(box, &rng)
            for (network, bounds) in [(f, halves.f), (g, halves.g)] {
                var t = x
                for (i, layer) in network.layers.enumerated() {
                    t = layer.apply(t)
                    let b = bounds.tensors[i + 1]
                    for j in t.indices {
                        #expect(b.lower[j] - 1e-9 <= t[j] && t[j] <= b.upper[j] + 1e-9, "seed \(seed)")
                    }
                }
            }
        }
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func reusedBoundsHoldOnSamples(seed: UInt64) throws {
        let (f, g, box, product) = try Self.setting(seed: seed)
        let bounder = try DifferenceBounder(original: f, compressed: g, inputDimension: f.inputCount)
        let reused = try bounder.bounds(over: box, productBounds: product)
        DifferencePairs.expectDifferenceWithin(
            lower: reused.lower, upper: reused.upper, f: f, g: g, box: box, samples: 500, seed: seed &+ 7,
            "seed \(seed)")
    }

    @Test func identicalNetworksDifferByExactlyZero() throws {
        let (f, _, box, _) = try Self.setting(seed: 3)
        let n = f.inputCount
        let product = try Network.sideBySide([f, f], inputCount: n, inputs: [Array(0..<n), Array(0..<n)])
        let bounds = try BoundPropagator(network: product).intermediateBounds(over: box)
        let reused = try DifferenceBounder(original: f, compressed: f, inputDimension: n)
            .bounds(over: box, productBounds: bounds)
        #expect(reused.lower.allSatisfy { $0 == 0 } && reused.upper.allSatisfy { $0 == 0 })
    }

    @Test func anotherLayoutIsNotRead() throws {
        let (f, g, box, product) = try Self.setting(seed: 5)
        var shifted = product
        shifted.tensors[1] = Box(lower: Array(product.tensors[1].lower.dropLast()),
                                 upper: Array(product.tensors[1].upper.dropLast()))
        #expect(DifferenceBounder.halves(
            of: shifted, try BoundPropagator(network: f), try BoundPropagator(network: g), box: box) == nil)
        let own = try DifferenceBounder(original: f, compressed: g, inputDimension: f.inputCount).bounds(over: box)
        let fallback = try DifferenceBounder(original: f, compressed: g, inputDimension: f.inputCount)
            .bounds(over: box, productBounds: shifted)
        #expect(fallback == own)
    }
}
