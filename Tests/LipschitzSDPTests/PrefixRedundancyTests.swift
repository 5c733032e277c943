import Testing
@testable import LipschitzSDP
import Network
import Tensor

/// The certified prefix weights bound ‖Δz_k‖²/‖Δx‖² (checked on sampled pairs) and fall far below the
/// norm-product weights deep in the network.
@Suite struct PrefixRedundancyTests {
    /// The shared recursion gives each prefix the point a recursion on that prefix alone gives, also with the
    /// prefix's last matrix scaled row by row by powers of two.
    @Test func sharedPrefixesEqualTheirOwnRecursions() throws {
        let net = try TestNetworks.mlp([6, 16, 12, 16, 3], seed: 4)
        let folded = try SlopeChain(network: net).slopeFoldedMatrices()
        let prefixes = try #require(CompositionalBound.Prefixes(folded, seed: 0))
        for h in 1..<folded.count {
            let scales = (0..<folded[h].rows).map { Double(sign: .plus, exponent: $0 % 5 - 2, significand: 1) }
            var scaled = folded[h]
            for r in 0..<scaled.rows { for c in 0..<scaled.columns { scaled[r, c] *= scales[r] } }
            let alone = try #require(CompositionalBound.Prefixes(Array(folded[0..<h]) + [scaled], seed: 0))
            let own = alone.point(layers: h + 1, seed: 0)
            let shared = prefixes.point(layers: h + 1, rowScales: scales, seed: 0)
            #expect(abs(shared.rho - own.rho) <= 1e-9 * own.rho)
            #expect(zip(shared.layerT, own.layerT).allSatisfy { abs($0 - $1) <= 1e-9 * abs($1) })
            #expect(shared.layerT.count == h)
        }
    }

    @Test func prefixWeightsAreValidAndTighter() throws {
        let net = try TestNetworks.mlp([6, 16, 16, 16, 16, 3], seed: 11)
        let chain = try SlopeChain(network: net)
        let folded = chain.slopeFoldedMatrices()
        let norms = folded.map { SpectralNormBound.upperBound($0) }
        let prefixes = try #require(CompositionalBound.Prefixes(folded, seed: 0))
        let prefix = PrefixRedundancy.weights(folded: folded, norms: norms, beta: chain.beta, prefixes: prefixes, seed: 0)
        let naive = LipschitzLMI(chain: chain, matrices: folded, normBounds: norms).redundancy
        // First layer: no prefix bound (the row norm is exact); deeper layers: certified (the LMI takes the
        // smaller of the two weights per neuron).
        let firstIsOpen = prefix[0].allSatisfy { $0 == .infinity }
        #expect(firstIsOpen)
        for h in 1..<prefix.count {
            let finite = prefix[h].allSatisfy(\.isFinite)
            let (tight, loose) = (prefix[h].reduce(0, +), naive[h].reduce(0, +))
            #expect(finite)
            // The norm product grows with depth; the certified prefix bound wins on the deepest layer.
            if h == prefix.count - 1 { #expect(tight < loose) }
        }
        // Validity on sampled pairs with random biases (the bound holds for any biases).
        var rng = SplitMix64(seed: 5)
        let biases = folded.dropLast().map { m in (0..<m.rows).map { _ in 0.3 * rng.nextGaussian() } }
        func hidden(_ x: [Double]) -> [[Double]] {
            var z = x
            var out: [[Double]] = []
            for (m, b) in zip(folded, biases) {
                z = (0..<m.rows).map { k in max(0, (0..<m.columns).reduce(b[k]) { $0 + m[k, $1] * z[$1] }) }
                out.append(z)
            }
            return out
        }
        for _ in 0..<300 {
            let x = (0..<6).map { _ in rng.nextGaussian() }
            let y = x.map { $0 + 0.2 * rng.nextGaussian() }
            let dx2 = zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            for (h, (zx, zy)) in zip(hidden(x), hidden(y)).enumerated() where h > 0 {
                for k in zx.indices {
                    let dz = zx[k] - zy[k]
                    let bound = prefix[h][k] * dx2 * (1 + 1e-9)
                    #expect(dz * dz <= bound)
                }
            }
        }
    }
}
