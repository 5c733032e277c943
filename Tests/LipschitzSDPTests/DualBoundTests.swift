import Testing
@testable import LipschitzSDP
import Network
import Tensor

/// The dual lower bound behind the solver's gap-based stopping rule: its point must be dual-feasible, and its
/// value can never exceed a certified ρ (weak duality) or a known optimum.
@Suite struct DualBoundTests {
    /// The LMI of `chain`; `redundancyScale` < 1 shrinks the redundant weights w (no longer valid bounds, but
    /// a harder dual: the repair must then add input energy for the constraints Z_kk ≤ w_k·tr Z₀₀).
    static func lmi(_ chain: SlopeChain, redundancyScale: Double = 1) -> LipschitzLMI {
        let m = chain.operators.map { $0.materialized() }
        let norms = m.map { SpectralNormBound.upperBound($0) }
        let plain = LipschitzLMI(chain: chain, matrices: m, normBounds: norms)
        guard redundancyScale < 1 else { return plain }
        return LipschitzLMI(chain: chain, matrices: m, normBounds: norms,
                            tighterRedundancy: plain.redundancy.map { $0.map { $0 * redundancyScale } })
    }

    /// Chains with ReLU slopes [0, 1] and with mixed slopes (stably active [1, 1], [0.5, 1], [0, 0.25]).
    static func chains() throws -> [SlopeChain] {
        let plain = try SlopeChain(network: try TestNetworks.mlp([6, 12, 10, 3], seed: 21))
        let mixed = try SlopeChain(network: try TestNetworks.mlp([5, 8, 7, 2], seed: 22)).restricted(
            alpha: [[0, 1, 0, 0.5, 1, 0, 0, 1], [1, 0, 0, 0, 1, 0.5, 0]],
            beta: [[1, 1, 1, 1, 1, 0.25, 1, 1], [1, 1, 1, 1, 1, 1, 0.25]])
        return [plain, mixed]
    }

    /// Feasibility checked through ``LipschitzLMI/gradient``, an independent code path: for Z = Σ ggᵀ the
    /// derivative of Σ gᵀMg by t_k is ⟨Z, A_k⟩ (must be ≥ 0) and by τ_k is w_k·tr Z₀₀ − Z_kk (must be ≥ 0).
    @Test(arguments: [false, true], [1, 1e-3])
    func repairedPointIsDualFeasible(perLayer: Bool, redundancyScale: Double) throws {
        // Shrunken weights only on the [0, 1] chain: with stably active neurons they would fall below the energy
        // that any input direction puts on those neurons, and no dual point exists.
        for (index, chain) in try Self.chains().enumerated() where index == 0 || redundancyScale == 1 {
            let lmi = Self.lmi(chain, redundancyScale: redundancyScale)
            var rng = SplitMix64(seed: 40 + UInt64(index))
            // Arbitrary directions, far from feasible: Gaussian in every block.
            let directions = (0..<7).map { _ in (0..<lmi.dimension).map { _ in rng.nextGaussian() } }
            let repaired = lmi.dualFactor(directions: directions, perLayer: perLayer)
            let factor = try #require(repaired)
            var trace = 0.0
            var slope = chain.alpha.map { $0.map { _ in 0.0 } }
            var redundant = slope
            for column in factor {
                let g = lmi.gradient(column)
                trace -= g.rho
                for h in slope.indices {
                    for j in slope[h].indices {
                        slope[h][j] += g.t[h][j]
                        redundant[h][j] += g.tau[h][j]
                    }
                }
            }
            #expect(trace > 0)
            let tolerance = 1e-9 * trace * (1 + lmi.penalty)
            for h in slope.indices {
                if perLayer {
                    #expect(slope[h].reduce(0, +) >= -tolerance)
                    #expect(redundant[h].reduce(0, +) >= -tolerance)
                } else {
                    for j in slope[h].indices {
                        #expect(slope[h][j] >= -tolerance, "slope constraint \(h),\(j): \(slope[h][j])")
                        #expect(redundant[h][j] >= -tolerance, "redundant constraint \(h),\(j): \(redundant[h][j])")
                    }
                }
            }
            // Weak duality against a certified point (the polished compositional multipliers).
            let value = lmi.dualBound(directions: directions, perLayer: perLayer)
            let dual = try #require(value)
            let t = chain.beta.map { $0.map { _ in 1.0 } }
            let tau = chain.beta.map { $0.map { _ in 0.0 } }
            let polished = lmi.polish(t: t, tau: tau, rhoHint: 1e3)
            let point = try #require(polished)
            #expect(dual > 0)
            #expect(dual <= point.rho)
        }
    }

    @Test func directionsWithoutInputEnergyGiveNoBound() throws {
        let lmi = Self.lmi(try Self.chains()[0])
        var direction = [Double](repeating: 0, count: lmi.dimension)
        direction[lmi.widths[0] + 1] = 1
        #expect(lmi.dualBound(directions: [direction]) == nil)
        #expect(lmi.dualBound(directions: []) == nil)
    }

    /// On the LipSDP repository's example the optimum is known (MOSEK/cvxpy): the lower bound the solver
    /// reports stays below it and, at the default gap tolerance, the certified bound lies within that gap.
    @Test(arguments: [LipschitzMethod.lipsdpLayer, .lipsdpNeuron])
    func lowerBoundBracketsThePublishedOptimum(method: LipschitzMethod) throws {
        let analyzer = try LipschitzAnalyzer(network: try TestNetworks.lipsdpRandomWeights())
        let result = try analyzer.bound(method: method, options: LipschitzOptions())
        let optimum = try #require(ReferenceValueTests.published[method])
        let lower = try #require(result.optimumLowerBound)
        let gap = try #require(result.gap)
        #expect(lower <= optimum * (1 + 2e-5))
        #expect(result.bound >= optimum * (1 - 2e-5))
        #expect(gap >= 0)
        #expect(gap <= 2e-2, "\(method): gap \(gap), bound \(result.bound), lower \(lower)")
    }

    /// Closed forms carry no dual point; the LipSDP methods on a seeded net report one below the bound.
    @Test func closedFormsReportNoLowerBound() throws {
        let analyzer = try LipschitzAnalyzer(network: try TestNetworks.mlp([4, 9, 9, 2], seed: 23))
        #expect(try analyzer.bound(method: .naive).optimumLowerBound == nil)
        #expect(try analyzer.bound(method: .compositional).optimumLowerBound == nil)
        let neuron = try analyzer.bound(method: .lipsdpNeuron)
        let lower = try #require(neuron.optimumLowerBound)
        #expect(lower <= neuron.bound)
    }
}
