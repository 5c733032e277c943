import Testing
@testable import LipschitzSDP
import Network
import Tensor
import TestSupport

/// `SlopeChain.balanced()` and the analyzer's choice of the better-scaled chain.
@Suite struct BalancingTests {
    /// A random MLP whose hidden neurons are badly scaled: neuron `k` of each hidden layer gets its incoming
    /// weights multiplied by `s_k` and its outgoing ones divided by it (`s_k` from 2⁻¹² to 2¹²) — the same
    /// function as the MLP, and the shape of ACAS Xu's first layer after its input normalisation.
    static func imbalanced(seed: UInt64) throws -> (scaled: Network, plain: Network) {
        let plain = try TestNetworks.mlp([4, 6, 5, 3], seed: seed)
        var layers = plain.layers
        var rng = SplitMix64(seed: seed &+ 1)
        for i in [0, 2] {
            guard case var .dense(incoming) = layers[i], case var .dense(outgoing) = layers[i + 2] else {
                Issue.record("expected dense layers")
                return (plain, plain)
            }
            for k in 0..<incoming.weights.rows {
                let s = Double(sign: .plus, exponent: Int(rng.next() % 25) - 12, significand: 1)
                for c in 0..<incoming.weights.columns { incoming.weights[k, c] *= s }
                incoming.bias[k] *= s
                for r in 0..<outgoing.weights.rows { outgoing.weights[r, k] /= s }
            }
            layers[i] = .dense(incoming)
            layers[i + 2] = .dense(outgoing)
        }
        return (try Network(inputShape: plain.inputShape, layers: layers), plain)
    }

    /// The chain's output at `x` (biases dropped, ReLU between the operators).
    static func forward(_ chain: SlopeChain, _ x: [Double]) -> [Double] {
        var v = x
        for (i, op) in chain.operators.enumerated() {
            v = op.apply(v)
            if i < chain.hiddenLayerCount { v = v.map { max(0, $0) } }
        }
        return v
    }

    @Test func theBalancedChainComputesExactlyTheSameFunction() throws {
        let (net, _) = try Self.imbalanced(seed: 3)
        let chain = try SlopeChain(network: net)
        let (balanced, scales) = try #require(chain.balanced())
        let again = try #require(chain.rescaled(by: scales))
        #expect(again.operators.map { $0.materialized() } == balanced.operators.map { $0.materialized() })
        var rng = SplitMix64(seed: 5)
        for _ in 0..<50 {
            let x = (0..<4).map { _ in rng.nextGaussian() }
            let a = Self.forward(chain, x), b = Self.forward(balanced, x)
            for (p, q) in zip(a, b) { #expect(abs(p - q) <= 1e-12 * max(1, abs(p))) }
        }
        #expect(balanced.alpha == chain.alpha && balanced.beta == chain.beta)
    }

    @Test func everyHiddenNeuronEndsBalancedWithinAFactorOfFour() throws {
        let (net, _) = try Self.imbalanced(seed: 4)
        let balanced = try #require(try SlopeChain(network: net).balanced()).chain
        let m = balanced.operators.map { $0.materialized() }
        for i in 0..<balanced.hiddenLayerCount {
            for k in 0..<m[i].rows {
                let incoming = (0..<m[i].columns).reduce(0) { $0 + m[i][k, $1] * m[i][k, $1] }.squareRoot()
                let outgoing = (0..<m[i + 1].rows).reduce(0) { $0 + m[i + 1][$1, k] * m[i + 1][$1, k] }.squareRoot()
                #expect(outgoing / incoming <= 4 && incoming / outgoing <= 4, "layer \(i) neuron \(k)")
            }
        }
    }

    @Test func aChainThatIsAlreadyBalancedIsLeftAlone() throws {
        // One hidden neuron with incoming weight 1 and outgoing weight 1.
        let net = try Network(inputShape: [1, 1], layers: [
            .dense(Dense(weights: Matrix([[1]]), bias: [0])), .relu, .dense(Dense(weights: Matrix([[1]]), bias: [0])),
        ])
        #expect(try SlopeChain(network: net).balanced() == nil)
    }

    /// A rescaling that would push a weight out of the normal range (where a power of two no longer scales it
    /// exactly) is refused: the chain is left as it is.
    @Test func aScalingThatWouldRoundAWeightIsRefused() throws {
        // Hidden neuron: incoming row (1e-306, 1), outgoing weight 1e-10, so its scale is about 1e-5 and the
        // 1e-306 weight would become subnormal.
        let net = try Network(inputShape: [1, 2], layers: [
            .dense(Dense(weights: Matrix([[1e-306, 1]]), bias: [0])), .relu,
            .dense(Dense(weights: Matrix([[1e-10]]), bias: [0])),
        ])
        let chain = try SlopeChain(network: net)
        #expect(chain.balanced() == nil)
        #expect(chain.rescaled(by: [[0x1p-17]]) == nil)
        #expect(chain.rescaled(by: [[0x1p-2]]) != nil)
    }

    /// The badly scaled net gets the well-scaled net's bounds: LipSDP-Neuron's optimum does not depend on the
    /// scaling, and the analyzer solves on the balanced chain, whose compositional point is far smaller.
    @Test func theAnalyzerSolvesOnTheBalancedChain() throws {
        let (scaled, plain) = try Self.imbalanced(seed: 6)
        var options = LipschitzOptions()
        options.timeLimit = 20
        let onScaled = try LipschitzAnalyzer(network: scaled).bound(method: .lipsdpNeuron, options: options)
        let onPlain = try LipschitzAnalyzer(network: plain).bound(method: .lipsdpNeuron, options: options)
        #expect(onScaled.details["balanced"] == "yes")
        #expect(abs(onScaled.bound - onPlain.bound) <= 1e-3 * onPlain.bound)
        let sampled = TestNetworks.sampledLowerBound(scaled, samples: 200, seed: 9)
        #expect(onScaled.bound >= sampled)
        #expect(onScaled.neuronScales != nil)
        let naive = try LipschitzAnalyzer(network: scaled).bound(method: .naive)
        let compositional = try LipschitzAnalyzer(network: scaled).bound(method: .compositional)
        #expect(compositional.bound < naive.bound)
    }

    /// A copy of the badly scaled net with some weights zeroed (pruned) is bounded in the original's coordinates
    /// when given its scales: the bound is valid (above sampled Jacobian norms) and no looser than without them.
    @Test func aCompressedCopyIsBoundedInTheOriginalsCoordinates() throws {
        let (scaled, _) = try Self.imbalanced(seed: 6)
        var layers = scaled.layers
        for i in layers.indices {
            guard case var .dense(d) = layers[i] else { continue }
            for k in d.weights.storage.indices where k % 3 == 0 { d.weights.storage[k] = 0 }
            layers[i] = .dense(d)
        }
        let copy = try Network(inputShape: scaled.inputShape, layers: layers)
        let original = try LipschitzAnalyzer(network: scaled).bound(method: .compositional)
        var options = LipschitzOptions()
        options.balancing = false
        let alone = try LipschitzAnalyzer(network: copy).bound(method: .compositional, options: options)
        let scales = try #require(original.neuronScales)
        options.neuronScales = scales
        let inCoordinates = try LipschitzAnalyzer(network: copy).bound(method: .compositional, options: options)
        #expect(inCoordinates.neuronScales == original.neuronScales)
        #expect(inCoordinates.bound < alone.bound)
        #expect(inCoordinates.bound >= TestNetworks.sampledLowerBound(copy, samples: 200, seed: 2))
        // Scales that do not fit the widths are ignored.
        options.neuronScales = [[1, 2]]
        #expect(try LipschitzAnalyzer(network: copy).bound(method: .compositional, options: options).bound == alone.bound)
    }

    @Test func aLocalBoundReportsNoScales() throws {
        let (scaled, _) = try Self.imbalanced(seed: 6)
        let analyzer = try LipschitzAnalyzer(network: scaled)
        let local = try analyzer.localBound(
            method: .compositional, slopeLower: analyzer.activationWidths.map { [Double](repeating: 0, count: $0) },
            slopeUpper: analyzer.activationWidths.map { [Double](repeating: 1, count: $0) })
        #expect(local.neuronScales == nil && local.details["balanced"] == "yes")
    }
}
