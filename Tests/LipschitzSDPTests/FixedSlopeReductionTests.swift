import Bounds
import Foundation
import Testing
@testable import LipschitzSDP
import Network
import Tensor

/// LipSDP-Neuron on the subspace where fixed-slope neurons are linear (``FixedSlopeReduction``), and the
/// interior-point method that solves it (``ReducedInteriorPointSolver``).
@Suite struct FixedSlopeReductionTests {
    /// Slopes with fixed neurons of slope 1 and 0.5 beside free ones (α < β).
    static func lmi() throws -> LipschitzLMI {
        let net = try TestNetworks.mlp([3, 5, 4, 2], seed: 17)
        let chain = try SlopeChain(network: net).restricted(alpha: [[1, 0, 0.5, 0, 1], [0, 1, 0, 0.2]],
                                                            beta: [[1, 1, 0.5, 1, 1], [1, 1, 0.7, 1]])
        let m = chain.operators.map { $0.materialized() }
        return LipschitzLMI(chain: chain, matrices: m, normBounds: m.map { SpectralNormBound.upperBound($0) })
    }

    /// `F(ρ, λ) = −Pᵀ M(ρ, λ/2, 0) P` whatever the fixed neurons' multipliers: their constraints vanish on the
    /// subspace.
    @Test func reducedMatrixIsTheFullLMIOnTheSubspace() throws {
        let lmi = try Self.lmi()
        let reduction = try #require(FixedSlopeReduction(lmi))
        #expect(reduction.free == [[1, 3], [0, 2, 3]])
        #expect(reduction.dimension == 3 + 5)
        let lambda = [0.7, 1.3, 0.4, 2.1, 0.9]
        let rho = 3.5
        let zeroTau = lmi.alpha.map { $0.map { _ in 0.0 } }
        let full = lmi.dense(rho: rho, t: reduction.multipliers(lambda: lambda, fixedFactor: 37), tau: zeroTau)
        let p = Matrix(rows: lmi.dimension, columns: reduction.dimension,
                       storage: reduction.embeddings.flatMap(\.storage))
        let restricted = p.transposeMultiplied(by: full.multiplied(by: p))
        let f = reduction.matrix(rho: rho, lambda: lambda)
        for i in 0..<f.rows {
            for j in 0..<f.columns {
                #expect(abs(f[i, j] + restricted[i, j]) <= 1e-12 * max(1, abs(f[i, j])), "F[\(i),\(j)]")
            }
        }
        // A lifted vector satisfies every fixed neuron's equality φ = α·(W x_prev).
        let u = (0..<reduction.dimension).map { Double($0) - 2.5 }
        let blocks = lmi.blocks(reduction.lift(u))
        for h in 0..<lmi.hiddenCount {
            let pre = lmi.matrices[h].multiplied(by: blocks[h])
            for j in lmi.alpha[h].indices where lmi.alpha[h][j] == lmi.beta[h][j] {
                #expect(abs(blocks[h + 1][j] - lmi.alpha[h][j] * pre[j]) <= 1e-12 * max(1, abs(pre[j])))
            }
        }
        // No fixed neuron: nothing to reduce.
        let chain = try SlopeChain(network: TestNetworks.mlp([3, 5, 2], seed: 2))
        let m = chain.operators.map { $0.materialized() }
        #expect(FixedSlopeReduction(LipschitzLMI(chain: chain, matrices: m, normBounds: [1, 1])) == nil)
    }

    /// −log det F(ρ, λ) at x = (ρ, λ), nil outside the cone.
    static func barrier(_ reduction: FixedSlopeReduction, _ x: [Double]) -> Double? {
        guard let l = DenseCholesky(reduction.matrix(rho: x[0], lambda: Array(x.dropFirst())))?.lower else {
            return nil
        }
        return -2 * (0..<l.rows).reduce(0) { $0 + log(l[$1, $1]) }
    }

    static func inverse(_ reduction: FixedSlopeReduction, _ x: [Double]) throws -> Matrix {
        let f = reduction.matrix(rho: x[0], lambda: Array(x.dropFirst()))
        return try #require(DenseCholesky(f)?.inverseQuadraticForm(Matrix.identity(reduction.dimension)))
    }

    /// The barrier's gradient and Hessian in (ρ, λ) against central differences, at a strictly feasible point
    /// taken from a certified point of the full chain (F = −PᵀMP ≻ 0 wherever M ≺ 0).
    @Test func barrierDerivativesMatchFiniteDifferences() throws {
        let lmi = try Self.lmi()
        let reduction = try #require(FixedSlopeReduction(lmi))
        let prefixes = try #require(CompositionalBound.Prefixes(lmi.matrices, seed: 0))
        let (rho0, layerT) = prefixes.point(layers: lmi.matrices.count, seed: 0)
        let t = zip(lmi.alpha, layerT).map { alpha, c in alpha.indices.map { c * (1 + 0.1 * Double($0)) } }
        let zeroTau = lmi.alpha.map { $0.map { _ in 0.0 } }
        let point = try #require(lmi.polish(t: t, tau: zeroTau, rhoHint: rho0 * 2))
        let lambda = zip(reduction.free, point.t).flatMap { free, t in free.map { 2 * t[$0] } }
        let x = [point.rho * 2] + lambda
        let solver = ReducedInteriorPointSolver(reduction: reduction, options: LipschitzOptions())
        try BarrierDerivativeCheck(value: { Self.barrier(reduction, $0) }) {
            solver.derivatives(try Self.inverse(reduction, $0))
        }.check(at: x)
    }

    /// End to end: a box that leaves neurons stably active routes LipSDP-Neuron through the reduction, whose
    /// multipliers certify a bound on the full chain with the optimum closed to 0.1%, above every sampled
    /// Jacobian norm.
    @Test func aLocalBoundWithActiveNeuronsClosesItsGap() throws {
        let net = try TestNetworks.mlp([3, 8, 8, 2], seed: 5)
        let box = Box(lower: [0.16, -0.14, 0.26], upper: [0.26, -0.04, 0.36])
        let boxes = LocalBoundTests.preActivationBoxes(net, box: box)
        let active = boxes.reduce(0) { acc, b in acc + b.lower.filter { $0 >= 0 }.count }
        let unstable = boxes.reduce(0) { acc, b in acc + zip(b.lower, b.upper).filter { $0 < 0 && $1 > 0 }.count }
        #expect(active >= 3)
        var options = LipschitzOptions()
        options.timeLimit = 30
        let local = try LipschitzAnalyzer(network: net).localBound(method: .lipsdpNeuron, over: boxes, options: options)
        #expect(local.details["solver"] == "interior-point on the fixed-slope reduction", "\(local.details)")
        let gap = try #require(local.gap)
        #expect(gap <= 1e-3, "gap \(gap), \(active) active and \(unstable) unstable neurons")
        #expect(TestNetworks.sampledLowerBound(net, samples: 200, seed: 5, box: box) <= local.bound)
    }
}
