import Testing
@testable import LipschitzSDP
import Network
import Tensor

/// The certification check must be able to fail.
@Suite struct CertificationTests {
    func lmi(_ net: Network) throws -> LipschitzLMI {
        let chain = try SlopeChain(network: net)
        let matrices = chain.operators.map { $0.materialized() }
        return LipschitzLMI(chain: chain, matrices: matrices,
                            normBounds: matrices.map { SpectralNormBound.upperBound($0) })
    }

    @Test func infeasiblePointsAreRejected() throws {
        let net = try TestNetworks.lipsdpRandomWeights()
        let lmi = try lmi(net)
        // The closed-form (ECLipsE-Fast) multipliers, polished.
        let prefixes = try #require(CompositionalBound.Prefixes(lmi.matrices, seed: 0))
        let (rho0, layerT) = prefixes.point(layers: lmi.matrices.count, seed: 0)
        let t = zip(lmi.widths.dropFirst(), layerT).map { [Double](repeating: $1, count: $0) }
        let tau = t.map { $0.map { _ in 0.0 } }
        let point = try #require(lmi.polish(t: t, tau: tau, rhoHint: rho0 * 1.01))
        #expect(abs(point.rho.squareRoot() - 39.9015) <= 1e-3)
        #expect(lmi.certify(rho: point.rho, t: point.t, tau: point.tau))
        // Just below the polished ρ the LMI is infeasible: rejected.
        #expect(!lmi.certify(rho: point.rho * (1 - 1e-6), t: point.t, tau: point.tau))
        // ρ below the sampled squared lower bound can never be certified, whatever T.
        let lower = TestNetworks.sampledLowerBound(net, samples: 200, seed: 3)
        #expect(!lmi.certify(rho: lower * lower * 0.99, t: point.t, tau: point.tau))
        // Negative multipliers are rejected outright.
        var negative = point.t
        negative[0][0] = -1
        #expect(!lmi.certify(rho: point.rho * 10, t: negative, tau: point.tau))
        // The penalised eigenvalue at the certified point is ≤ 0 (dense check through matrix-free products).
        let top = SymmetricEigen.lanczosTop(dimension: lmi.dimension, steps: lmi.dimension,
                                            start: SymmetricEigen.randomVector(lmi.dimension, seed: 1)) {
            lmi.apply($0, rho: point.rho, t: point.t, tau: point.tau)
        }
        #expect(top.value <= 1e-9 * point.rho)
    }

    @Test func matrixFreeProductMatchesDenseAssembly() throws {
        let net = try TestNetworks.mlp([3, 4, 5, 2], seed: 11)
        let chain = try SlopeChain(network: net).restricted(alpha: [[0, 1, 0, 0.5], [0, 0, 1, 0, 0]],
                                                            beta: [[1, 1, 0, 1], [1, 1, 1, 0, 1]])
        let m = chain.operators.map { $0.materialized() }
        let lmi = LipschitzLMI(chain: chain, matrices: m, normBounds: m.map { SpectralNormBound.upperBound($0) })
        let t = [[0.3, 0.7, 1.1, 0.2], [0.5, 0.4, 0.9, 0.6, 1.3]]
        let tau = [[0.01, 0.02, 0.03, 0.04], [0.05, 0.06, 0.07, 0.08, 0.09]]
        var rng = SplitMix64(seed: 5)
        let x = (0..<12).map { _ in rng.nextGaussian() }
        let y = (0..<12).map { _ in rng.nextGaussian() }
        // Symmetry ⟨Mx, y⟩ = ⟨x, My⟩ and the quadratic form's definition ξᵀMξ for the blocks.
        let mx = lmi.apply(x, rho: 2, t: t, tau: tau)
        let my = lmi.apply(y, rho: 2, t: t, tau: tau)
        #expect(abs(Vector.dot(mx, y) - Vector.dot(x, my)) <= 1e-10)
        // Gradient wrt ρ and t is the derivative of vᵀMv (finite differences, the form is linear in t).
        let v = x.map { $0 / Vector.norm(x) }
        let g = lmi.gradient(v)
        var t2 = t
        t2[1][2] += 1
        let diff = Vector.dot(lmi.apply(v, rho: 2, t: t2, tau: tau), v) - Vector.dot(lmi.apply(v, rho: 2, t: t, tau: tau), v)
        #expect(abs(diff - g.t[1][2]) <= 1e-10)
        let dRho = Vector.dot(lmi.apply(v, rho: 3, t: t, tau: tau), v) - Vector.dot(lmi.apply(v, rho: 2, t: t, tau: tau), v)
        #expect(abs(dRho - g.rho) <= 1e-10)
    }

    /// A convolution stays an operator in the LMI's products (im2col, no dense matrix); those products must be
    /// the dense assembly's and the LMI of the layer's dense expansion's, entry by entry — and the certification,
    /// which does use dense blocks, must accept the polished point and reject it just below.
    @Test func convolutionLMIProductEqualsTheDenseExpansion() throws {
        var rng = SplitMix64(seed: 17)
        let conv = Conv2D(inputChannels: 2, inputHeight: 5, inputWidth: 5, outputChannels: 3, kernelHeight: 3,
                          kernelWidth: 3, strideHeight: 2, strideWidth: 2, pads: [1, 1, 1, 1],
                          weights: (0..<54).map { _ in 0.4 * rng.nextGaussian() }, bias: [0.1, -0.1, 0.2])
        let head = Dense(weights: Matrix(rows: 4, columns: 27, storage: (0..<108).map { _ in 0.3 * rng.nextGaussian() }),
                         bias: [0, 0, 0, 0])
        let convNet = try Network(inputShape: [1, 2, 5, 5],
                                  layers: [.conv2d(conv), .relu, .reshape([1, 27]), .dense(head)])
        let denseNet = try Network(inputShape: [1, 50], layers: [.dense(conv.denseEquivalent()), .relu, .dense(head)])
        let convLMI = try lmi(convNet), denseLMI = try lmi(denseNet)
        guard case .conv = try #require(try SlopeChain(network: convNet).operators.first?.steps.first) else {
            Issue.record("the convolution was folded into a dense matrix")
            return
        }
        #expect(convLMI.widths == [50, 27])
        let t = [(0..<27).map { _ in 0.2 + abs(rng.nextGaussian()) }]
        let tau = [(0..<27).map { _ in 0.01 * abs(rng.nextGaussian()) }]
        let dense = convLMI.dense(rho: 3, t: t, tau: tau)
        for _ in 0..<3 {
            let x = (0..<77).map { _ in rng.nextGaussian() }
            let viaConv = convLMI.apply(x, rho: 3, t: t, tau: tau)
            let viaMatrix = denseLMI.apply(x, rho: 3, t: t, tau: tau)
            let viaAssembly = (0..<77).map { i in (0..<77).reduce(0.0) { $0 + dense[i, $1] * x[$1] } }
            for i in 0..<77 {
                #expect(abs(viaConv[i] - viaMatrix[i]) <= 1e-12 * (1 + abs(viaMatrix[i])))
                #expect(abs(viaConv[i] - viaAssembly[i]) <= 1e-12 * (1 + abs(viaAssembly[i])))
            }
        }
        let point = try #require(convLMI.polish(t: t, tau: tau, rhoHint: 100))
        #expect(convLMI.certify(rho: point.rho, t: point.t, tau: point.tau))
        #expect(!convLMI.certify(rho: point.rho * (1 - 1e-6), t: point.t, tau: point.tau))
        #expect(denseLMI.certify(rho: point.rho, t: point.t, tau: point.tau))
    }

    @Test func spectralNormUpperBoundIsTightAndAbove() throws {
        var rng = SplitMix64(seed: 9)
        for (r, c) in [(7, 5), (30, 60), (64, 100)] {
            let w = Matrix(rows: r, columns: c, storage: (0..<(r * c)).map { _ in rng.nextGaussian() })
            let exact = (SymmetricEigen.jacobi(w.multiplied(byTransposeOf: w)).values.max() ?? 0).squareRoot()
            let bound = SpectralNormBound.upperBound(w)
            #expect(bound >= exact)
            #expect(bound <= exact * (1 + 1e-6))
        }
    }
}
