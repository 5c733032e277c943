import Testing
@testable import LipschitzSDP
import Network
import Tensor

/// The time limit is a promise: every stage checks it, and what comes back is still a certified bound.
@Suite struct TimeLimitTests {
    /// A network large enough that LipSDP-Neuron cannot finish in the limit, even the compositional point (its
    /// certification factors blocks of 700): the run returns on time with the best bound certified so far.
    @Test(arguments: [0.3, 1.5])
    func aLargeNetworkReturnsOnTime(limit: Double) throws {
        let net = try TestNetworks.mlp([600, 700, 700, 10], seed: 5)
        let analyzer = try LipschitzAnalyzer(network: net)
        var options = LipschitzOptions()
        options.timeLimit = limit
        let clock = ContinuousClock(), start = clock.now
        let result = try analyzer.bound(method: .lipsdpNeuron, options: options)
        let seconds = (clock.now - start).seconds
        // One uninterruptible step (a BLAS product, a Lanczos run) may overrun; debug builds are slow.
        #expect(seconds <= limit + 2.5, "took \(seconds) s for a \(limit) s limit")
        #expect(result.details["timeLimit"] != nil, "\(result.details)")
        Self.expectPairsRespect(net, bound: result.bound, range: -1...1, seed: 1)
        #expect(result.bound.isFinite)
    }

    /// The same promise on a convolutional network (the LMI keeps the convolution as an operator; its
    /// certification factors a 1,728-wide input block): on time, with a bound that sampled pairs respect.
    @Test func aConvolutionalNetworkReturnsOnTime() throws {
        var rng = SplitMix64(seed: 3)
        let conv = Conv2D(inputChannels: 3, inputHeight: 24, inputWidth: 24, outputChannels: 8, kernelHeight: 4,
                          kernelWidth: 4, strideHeight: 2, strideWidth: 2, pads: [1, 1, 1, 1],
                          weights: (0..<384).map { _ in 0.2 * rng.nextGaussian() },
                          bias: (0..<8).map { _ in 0.1 * rng.nextGaussian() })
        let head = Dense(weights: Matrix(rows: 10, columns: 1_152,
                                         storage: (0..<11_520).map { _ in 0.03 * rng.nextGaussian() }),
                         bias: [Double](repeating: 0, count: 10))
        let net = try Network(inputShape: [1, 3, 24, 24],
                              layers: [.conv2d(conv), .relu, .reshape([1, 1_152]), .dense(head)])
        var options = LipschitzOptions()
        options.timeLimit = 1
        let clock = ContinuousClock(), start = clock.now
        let result = try LipschitzAnalyzer(network: net).bound(method: .lipsdpNeuron, options: options)
        let seconds = (clock.now - start).seconds
        #expect(seconds <= options.timeLimit + 2.5, "took \(seconds) s for a 1 s limit")
        #expect(result.details["timeLimit"] != nil || seconds < options.timeLimit, "\(result.details)")
        Self.expectPairsRespect(net, bound: result.bound, range: 0...1, seed: 2)
    }

    /// Sampled pairs of nearby inputs (x uniform in `range`, steps of at most 10⁻³ per coordinate) never move the
    /// output by more than `bound` times the step.
    static func expectPairsRespect(_ net: Network, bound: Double, range: ClosedRange<Double>, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let n = net.inputCount
        for _ in 0..<20 {
            let x = (0..<n).map { _ in Double.random(in: range, using: &rng) }
            let d = (0..<n).map { _ in Double.random(in: -1e-3...1e-3, using: &rng) }
            let fx = net.evaluate(x), fy = net.evaluate(zip(x, d).map(+))
            #expect(Vector.norm(zip(fx, fy).map(-)) <= bound * Vector.norm(d))
        }
    }

    /// A Cholesky factorisation cut short by its deadline proves nothing, whatever the matrix.
    @Test func anExpiredDeadlineCertifiesNothing() {
        var a = Matrix(rows: 64, columns: 64)
        for i in 0..<64 { a[i, i] = 1 }
        #expect(DenseCholesky(a) != nil)
        #expect(DenseCholesky(a, deadline: Deadline.after(seconds: 0)) == nil)
        let factor = DenseCholesky(a)!
        #expect(factor.solveLower(a, deadline: Deadline.after(seconds: 0)) == nil)
        #expect(SpectralNormBound.upperBound(a, deadline: Deadline.after(seconds: 0)) >= 1)
    }
}
