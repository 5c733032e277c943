import LinearProgramming
import Tensor
import Testing

/// The weak-duality certificate `LPModel.certifiedLowerBound(duals:margins:)` must be a lower bound of the LP's
/// optimum for any duals, including perturbed ones and columns with an infinite bound.
struct DualCertificateTests {
    /// min w − z s.t. (A) z ≥ 2⁸⁰, (B) w − z = 0, w, z ≥ 0 (no upper bounds). Every feasible point has objective 0.
    static func unboundedColumns() -> LPModel {
        var model = LPModel()
        let w = model.addColumn(lower: 0, upper: .infinity, cost: 1)
        let z = model.addColumn(lower: 0, upper: .infinity, cost: -1)
        model.addRow([(z, 1)], lower: 0x1p80)
        model.addRow([(w, 1), (z, -1)], lower: 0, upper: 0)
        return model
    }

    /// With the duals (2⁻⁶⁰, 1) the reduced cost of z is exactly −2⁻⁶⁰, but Float64 computes
    /// (−1 − 2⁻⁶⁰) + 1 = 0; over z ∈ [0, ∞) the Lagrangian is −∞. Skipping the column (the old code) claimed
    /// 2⁻⁶⁰·2⁸⁰ ≈ 10⁶ > 0 = the optimum, which would have refuted a reachable region.
    @Test func roundedZeroReducedCostOverInfiniteBoundGivesNoBound() throws {
        let model = Self.unboundedColumns()
        let optimum = try #require(try LPSolver(model).solve().solution).objective
        #expect(abs(optimum) < 1)
        let bound = model.certifiedLowerBound(duals: [0x1p-60, 1])
        #expect(bound <= optimum)
        #expect(bound == -.infinity)
    }

    /// A reduced cost certified to have the harmless sign over an infinite bound keeps a finite, valid bound:
    /// min x s.t. x ≥ 3, x ∈ [0, ∞), with dual 1/2: reduced cost 1/2 ≥ 0 over x → ∞, bound 3/2 ≤ 3.
    @Test func certifiedSignOverInfiniteBoundKeepsTheBound() {
        var model = LPModel()
        let x = model.addColumn(lower: 0, upper: .infinity, cost: 1)
        model.addRow([(x, 1)], lower: 3)
        let bound = model.certifiedLowerBound(duals: [0.5])
        #expect(bound > 1.5 - 1e-8 && bound <= 1.5, "\(bound)")
        // The unfavourable sign (dual 2: reduced cost −1 over x → ∞) gives no bound.
        #expect(model.certifiedLowerBound(duals: [2]) == -.infinity)
        // A free column with a nonzero reduced cost gives no bound either.
        model.columns[x].lower = -.infinity
        #expect(model.certifiedLowerBound(duals: [0.5]) == -.infinity)
    }

    /// A free row's dual is taken as 0, whatever the solver reports: min x s.t. x ≥ 3 and a free row x + y
    /// (x, y ∈ [0, 10]); with duals (1, 0.25) the bound is that of (1, 0), 3, not −∞.
    @Test func freeRowDualIsIgnored() {
        var model = LPModel()
        let x = model.addColumn(lower: 0, upper: 10, cost: 1)
        let y = model.addColumn(lower: 0, upper: 10, cost: 0)
        model.addRow([(x, 1)], lower: 3)
        model.addRow([(x, 1), (y, 1)])
        let bound = model.certifiedLowerBound(duals: [1, 0.25])
        #expect(bound == model.certifiedLowerBound(duals: [1, 0]))
        #expect(bound > 3 - 1e-6 && bound <= 3, "\(bound)")
    }

    /// On bounded columns the certificate of random perturbations of the optimal duals never exceeds the optimum.
    @Test func perturbedDualsStayBelowTheOptimum() throws {
        var model = LPModel()
        let a = model.addColumn(lower: -2, upper: 2, cost: 1)
        let b = model.addColumn(lower: -2, upper: 2, cost: 1)
        model.addRow([(a, 1), (b, 1)], lower: 1)
        model.addRow([(a, 1), (b, -1)], lower: -0.5, upper: 0.5)
        let solution = try #require(try LPSolver(model).solve().solution)
        #expect(abs(solution.objective - 1) < 1e-12)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let duals = solution.rowDuals.map { $0 + Double.random(in: -0.5...0.5, using: &rng) }
            #expect(model.certifiedLowerBound(duals: duals) <= 1)
        }
        #expect(model.certifiedLowerBound(duals: solution.rowDuals) > 1 - 1e-8)
    }
}
