import Foundation
import Testing
@testable import LipschitzSDP
import Network
import Tensor

/// The interior-point LipSDP solver: its dense LMI and barrier derivatives, and its optimum.
@Suite struct InteriorPointTests {
    /// A small LMI with slopes in [α, β] (some α > 0, so every term of the slope constraints is exercised).
    static func smallLMI() throws -> LipschitzLMI {
        let net = try TestNetworks.mlp([3, 4, 5, 2], seed: 11)
        let chain = try SlopeChain(network: net).restricted(alpha: [[0, 1, 0, 0.5], [0, 0.3, 1, 0, 0]],
                                                            beta: [[1, 1, 0.8, 1], [1, 1, 1, 0.6, 1]])
        let m = chain.operators.map { $0.materialized() }
        return LipschitzLMI(chain: chain, matrices: m, normBounds: m.map { SpectralNormBound.upperBound($0) })
    }

    static let t = [[0.3, 0.7, 1.1, 0.2], [0.5, 0.4, 0.9, 0.6, 1.3]]
    static let tau = [[0.01, 0.02, 0.03, 0.04], [0.05, 0.06, 0.07, 0.08, 0.09]]

    @Test func denseMatrixIsTheMatrixFreeOperator() throws {
        let lmi = try Self.smallLMI()
        let dense = lmi.dense(rho: 2, t: Self.t, tau: Self.tau)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5 {
            let x = (0..<lmi.dimension).map { _ in rng.nextGaussian() }
            let free = lmi.apply(x, rho: 2, t: Self.t, tau: Self.tau)
            for (a, b) in zip(dense.multiplied(by: x), free) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b))) }
        }
    }

    /// −log det(−M) at x = (ρ, t, τ).
    static func barrier(_ lmi: LipschitzLMI, _ x: [Double]) -> Double? {
        let (t, tau) = split(lmi, x)
        var f = lmi.dense(rho: x[0], t: t, tau: tau)
        for i in f.storage.indices { f.storage[i] = -f.storage[i] }
        guard let l = DenseCholesky(f)?.lower else { return nil }
        return -2 * (0..<l.rows).reduce(0) { $0 + log(l[$1, $1]) }
    }

    static func split(_ lmi: LipschitzLMI, _ x: [Double]) -> ([[Double]], [[Double]]) {
        let n = lmi.widths.dropFirst().reduce(0, +)
        let flatT = Array(x[1...n]), flatTau = Array(x[(n + 1)...])
        return ([Array(flatT[0..<4]), Array(flatT[4...])], [Array(flatTau[0..<4]), Array(flatTau[4...])])
    }

    @Test func barrierDerivativesMatchFiniteDifferences() throws {
        let lmi = try Self.smallLMI()
        // A strictly feasible point: the compositional multipliers (varied per neuron), certified, ρ doubled.
        let prefixes = try #require(CompositionalBound.Prefixes(lmi.matrices, seed: 0))
        let (rho0, layerT) = prefixes.point(layers: lmi.matrices.count, seed: 0)
        let t = zip(Self.t, layerT).map { row, c in row.map { c * (1 + 0.2 * $0) } }
        let tau = Self.tau.map { $0.map { 1e-3 * $0 } }
        let point = try #require(lmi.polish(t: t, tau: tau, rhoHint: rho0 * 2))
        let x = [point.rho * 2] + point.t.flatMap { $0 } + point.tau.flatMap { $0 }
        let solver = InteriorPointSolver(lmi: lmi, options: LipschitzOptions())
        try BarrierDerivativeCheck(value: { Self.barrier(lmi, $0) }) { x in
            let (t, tau) = Self.split(lmi, x)
            return solver.barrierDerivatives(try Self.inverse(lmi, x), t: t, tau: tau)
        }.check(at: x)
    }

    static func inverse(_ lmi: LipschitzLMI, _ x: [Double]) throws -> Matrix {
        let (t, tau) = split(lmi, x)
        var m = lmi.dense(rho: x[0], t: t, tau: tau)
        for i in m.storage.indices { m.storage[i] = -m.storage[i] }
        return try #require(DenseCholesky(m)?.inverseQuadraticForm(Matrix.identity(lmi.dimension)))
    }
}
