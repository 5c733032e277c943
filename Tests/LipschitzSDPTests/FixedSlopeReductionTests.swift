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
}
