import Testing
@testable import LipschitzSDP
import Network
import Tensor

/// Sampled lower bound ≤ certified bound ≤ naive bound, on seeded random networks, for every method.
@Suite struct ValidityTests {
    static var fastOptions: LipschitzOptions {
        var o = LipschitzOptions()
        o.iterations = 200
        return o
    }

    @Test(arguments: [(UInt64(1), Layer.relu), (UInt64(2), Layer.relu), (UInt64(3), Layer.tanh), (UInt64(4), Layer.sigmoid)])
    func orderedBounds(seed: UInt64, activation: Layer) throws {
        let net = try TestNetworks.mlp([5, 12, 10, 3], seed: seed, activation: activation)
        let analyzer = try LipschitzAnalyzer(network: net)
        let results = try LipschitzMethod.allCases.map { try analyzer.bound(method: $0, options: Self.fastOptions) }
        let lower = TestNetworks.sampledLowerBound(net, samples: 150, seed: seed)
        let naive = results[0].bound
        for r in results {
            #expect(lower <= r.bound, "\(r.method): sampled \(lower) > certified \(r.bound)")
            #expect(r.bound <= naive * (1 + 1e-12), "\(r.method): \(r.bound) above naive \(naive)")
        }
        // LipSDP-Neuron is the tightest of the four here (up to solver accuracy).
        #expect(results[3].bound <= results[1].bound * (1 + 1e-9))
    }

    @Test func convolutionNetworkMatchesItsDenseEquivalent() throws {
        var rng = SplitMix64(seed: 7)
        let conv = Conv2D(inputChannels: 1, inputHeight: 5, inputWidth: 5, outputChannels: 2, kernelHeight: 3,
                          kernelWidth: 3, strideHeight: 2, strideWidth: 2, pads: [1, 1, 1, 1],
                          weights: (0..<18).map { _ in 0.5 * rng.nextGaussian() }, bias: [0.1, -0.1])
        let head = Dense(weights: Matrix(rows: 3, columns: 18, storage: (0..<54).map { _ in 0.3 * rng.nextGaussian() }),
                         bias: [0, 0, 0])
        let convNet = try Network(inputShape: [1, 1, 5, 5],
                                  layers: [.conv2d(conv), .relu, .reshape([1, 18]), .dense(head)])
        let denseNet = try Network(inputShape: [1, 25], layers: [.dense(conv.denseEquivalent()), .relu, .dense(head)])
        let lower = TestNetworks.sampledLowerBound(convNet, samples: 150, seed: 7)
        for method in LipschitzMethod.allCases {
            let a = try LipschitzAnalyzer(network: convNet).bound(method: method, options: Self.fastOptions)
            let b = try LipschitzAnalyzer(network: denseNet).bound(method: method, options: Self.fastOptions)
            #expect(lower <= a.bound)
            #expect(abs(a.bound - b.bound) <= 1e-6 * b.bound, "\(method): conv \(a.bound) dense \(b.bound)")
        }
    }

    /// The same for a grouped transposed convolution (2 → 4 channels, stride 2, output padding), an operator
    /// whose products are a convolution's with their roles exchanged: its operator is the dense matrix, and the
    /// bounds agree (LipSDP-Neuron, a first-order solver stopped after 200 iterations, to 1e-3: the two products
    /// differ in rounding, and the iterates drift apart by that much before convergence).
    @Test func transposedConvolutionNetworkMatchesItsDenseEquivalent() throws {
        var rng = SplitMix64(seed: 8)
        let up = ConvTranspose2D(
            inputChannels: 2, inputHeight: 2, inputWidth: 2, outputChannels: 4, outputHeight: 4, outputWidth: 3,
            kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2, pads: [0, 0, 0, 1], groups: 2,
            weights: (0..<16).map { _ in 0.5 * rng.nextGaussian() }, bias: [0.1, -0.1, 0, 0.2])
        let head = Dense(weights: Matrix(rows: 3, columns: 48, storage: (0..<144).map { _ in 0.3 * rng.nextGaussian() }),
                         bias: [0, 0, 0])
        let net = try Network(inputShape: [1, 2, 2, 2], layers: [.convTranspose(up), .relu, .reshape([1, 48]), .dense(head)])
        let denseNet = try Network(inputShape: [1, 8], layers: [.dense(up.denseEquivalent()), .relu, .dense(head)])
        let op = try SlopeChain(network: net).operators[0].materialized(), d = up.denseEquivalent().weights
        #expect(op.rows == d.rows && zip(op.storage, d.storage).allSatisfy { abs($0 - $1) <= 1e-15 })
        let lower = TestNetworks.sampledLowerBound(net, samples: 150, seed: 8)
        // The dense network alone can be balanced (SlopeChain.balanced()), which moves its compositional and
        // LipSDP-Layer bounds: compared without, and with it never looser.
        var unbalanced = Self.fastOptions
        unbalanced.balancing = false
        for method in LipschitzMethod.allCases {
            let a = try LipschitzAnalyzer(network: net).bound(method: method, options: Self.fastOptions)
            let b = try LipschitzAnalyzer(network: denseNet).bound(method: method, options: unbalanced)
            #expect(lower <= a.bound)
            let tolerance = method == .lipsdpNeuron ? 1e-3 : 1e-6
            #expect(abs(a.bound - b.bound) <= tolerance * b.bound, "\(method): transposed \(a.bound) dense \(b.bound)")
            guard method != .lipsdpNeuron else { continue }
            let balanced = try LipschitzAnalyzer(network: denseNet).bound(method: method, options: Self.fastOptions)
            #expect(lower <= balanced.bound && balanced.bound <= b.bound * (1 + 1e-9), "\(method)")
        }
    }

    /// An output softmax multiplies the bound of the rest by 1/2 (‖diag(y) − yyᵀ‖₂ ≤ 1/2), for every method, and
    /// the result is still above the sampled ratios; a softmax inside the network is refused with its index.
    @Test func anOutputSoftmaxHalvesTheBoundOfTheRest() throws {
        let body = try TestNetworks.mlp([5, 12, 10, 3], seed: 5, activation: .relu)
        let net = try Network(inputShape: body.inputShape, layers: body.layers + [.softmax(Softmax(size: 3)), .reshape([1, 1, 3])])
        let lower = TestNetworks.sampledLowerBound(net, samples: 150, seed: 5)
        for method in LipschitzMethod.allCases {
            let whole = try LipschitzAnalyzer(network: net).bound(method: method, options: Self.fastOptions)
            let rest = try LipschitzAnalyzer(network: body).bound(method: method, options: Self.fastOptions)
            #expect(whole.bound == rest.bound / 2 && lower <= whole.bound, "\(method): \(whole.bound), \(rest.bound)")
            #expect(whole.details["output softmax"] != nil)
        }
        let inside = try Network(inputShape: body.inputShape, layers: [body.layers[0], .softmax(Softmax(size: 12))] + body.layers[2...])
        #expect(throws: LipschitzError.unsupportedLayer(layer: 1, kind: "Softmax")) {
            _ = try LipschitzAnalyzer(network: inside)
        }
    }

    /// A CNN with a max pool (2×2 stride 2, or the overlapping 3×3 stride 2 padding 1) between two convolutions.
    static func pooledCNN(overlapping: Bool, seed: UInt64) throws -> Network {
        var rng = SplitMix64(seed: seed)
        let first = Conv2D(inputChannels: 1, inputHeight: 6, inputWidth: 6, outputChannels: 2, kernelHeight: 3,
                           kernelWidth: 3, pads: [1, 1, 1, 1], weights: (0..<18).map { _ in 0.5 * rng.nextGaussian() },
                           bias: [0.1, -0.1])
        let pool = overlapping
            ? Pool2D(channels: 2, inputHeight: 6, inputWidth: 6, kernelHeight: 3, kernelWidth: 3, strideHeight: 2,
                     strideWidth: 2, pads: [1, 1, 1, 1])
            : Pool2D(channels: 2, inputHeight: 6, inputWidth: 6, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                     strideWidth: 2)
        let second = Conv2D(inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 3, kernelHeight: 3,
                            kernelWidth: 3, pads: [1, 1, 1, 1], weights: (0..<54).map { _ in 0.4 * rng.nextGaussian() },
                            bias: [0, 0.1, -0.1])
        let head = Dense(weights: Matrix(rows: 3, columns: 27, storage: (0..<81).map { _ in 0.3 * rng.nextGaussian() }),
                         bias: [0, 0, 0])
        return try Network(inputShape: [1, 1, 6, 6],
                           layers: [.conv2d(first), .relu, .maxPool(pool), .conv2d(second), .relu, .reshape([1, 27]),
                                    .dense(head)])
    }

    /// Max pooling splits the network into segments: every method's bound is the product of the two segments'
    /// bounds and the pool's √overlap (1, or 2 for the overlapping windows), carries no optimum bound, lies above
    /// the sampled Jacobian norms, and the local bound over a box above those sampled in the box.
    @Test(arguments: [false, true])
    func maxPoolNetworksAreBoundedSegmentBySegment(overlapping: Bool) throws {
        let net = try Self.pooledCNN(overlapping: overlapping, seed: overlapping ? 21 : 22)
        let analyzer = try LipschitzAnalyzer(network: net)
        let before = try Network(inputShape: net.inputShape, layers: Array(net.layers[0..<2]))
        let after = try Network(inputShape: net.inputShape(ofLayer: 3), layers: Array(net.layers[3...]))
        let factor: Double = overlapping ? 2 : 1
        let lower = TestNetworks.sampledLowerBound(net, samples: 150, seed: 9)
        for method in LipschitzMethod.allCases {
            let whole = try analyzer.bound(method: method, options: Self.fastOptions)
            let a = try LipschitzAnalyzer(network: before).bound(method: method, options: Self.fastOptions)
            let b = try LipschitzAnalyzer(network: after).bound(method: method, options: Self.fastOptions)
            #expect(whole.bound >= factor * a.bound * b.bound && whole.bound <= (factor * a.bound * b.bound).nextUp.nextUp,
                    "\(method): \(whole.bound) against \(factor) × \(a.bound) × \(b.bound)")
            #expect(lower <= whole.bound, "\(method): sampled \(lower) > certified \(whole.bound)")
            #expect(whole.optimumLowerBound == nil && whole.details["segments"] != nil)
        }
        let box = Box(lower: [Double](repeating: -0.1, count: 36), upper: [Double](repeating: 0.2, count: 36))
        let local = try analyzer.localBound(method: .lipsdpNeuron, inputBox: box, options: Self.fastOptions)
        #expect(TestNetworks.sampledLowerBound(net, samples: 100, seed: 10, box: box) <= local.bound)
        let global = try analyzer.bound(method: .lipsdpNeuron, options: Self.fastOptions)
        #expect(local.isLocal && local.bound <= global.bound)
    }

    /// A linear network (no activation) crashed every method but the naive one (an index out of range in the
    /// LMI's curvature): now every method returns the certified spectral norm, within 1e-9 of the true norm.
    @Test func linearNetworkIsBoundedByItsNorm() throws {
        let a = Matrix([[1, 2, 0], [0, 1, -1]]), b = Matrix([[2, 0], [1, 1]])
        let net = try Network(inputShape: [1, 3], layers: [.dense(Dense(weights: a, bias: [0, 0])),
                                                          .dense(Dense(weights: b, bias: [1, 0]))])
        let norm = TestNetworks.jacobianNorm(net, at: [0, 0, 0])
        for method in LipschitzMethod.allCases {
            let r = try LipschitzAnalyzer(network: net).bound(method: method, options: Self.fastOptions)
            #expect(r.bound >= norm && r.bound <= norm * (1 + 1e-9), "\(method): \(r.bound) against ‖BA‖ \(norm)")
        }
    }

    /// A network of one max pool alone: its bound is the pool's constant (times the certified norm of the
    /// identity, 1 up to rounding), 1 for non-overlapping windows (which the Jacobian reaches) and 2 where up to
    /// four windows share an element.
    @Test func lonePoolBoundIsItsConstant() throws {
        for (kernel, stride, pads, expected) in [(2, 2, [0, 0, 0, 0], 1.0), (3, 2, [1, 1, 1, 1], 2.0)] {
            let pool = Pool2D(channels: 1, inputHeight: 4, inputWidth: 4, kernelHeight: kernel, kernelWidth: kernel,
                              strideHeight: stride, strideWidth: stride, pads: pads)
            let net = try Network(inputShape: [1, 1, 4, 4], layers: [.maxPool(pool)])
            for method in LipschitzMethod.allCases {
                let bound = try LipschitzAnalyzer(network: net).bound(method: method, options: Self.fastOptions).bound
                #expect(bound >= expected && bound <= expected * (1 + 1e-9), "\(method): \(bound), not \(expected)")
            }
        }
    }
}
