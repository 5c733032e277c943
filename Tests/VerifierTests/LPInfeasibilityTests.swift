import Bounds
import LinearProgramming
import Network
import Tensor
import Testing
import VNNLib
@testable import Verifier

/// A one-neuron leaf whose LP relaxation is empty or not depending on the pre-activation bounds.
enum LPLeafFixture {
    /// y = relu(x) on x ∈ [0, 1], with pre-activation bounds [−1, −5·10⁻⁸] (the neuron inactive), so the
    /// relaxation is empty by 5·10⁻⁸: v = x ≥ 0 but v ≤ −5·10⁻⁸. The region y ≤ 0 would be reached at x = 0 if
    /// the 5·10⁻⁸ were ignored — as GLPK's floating-point simplex, whose tolerance is 10⁻⁷, does.
    static func leaf() throws -> (LPRelaxation, Box, IntermediateBounds, OutputPolytope) {
        let one = Matrix(rows: 1, columns: 1, storage: [1])
        let network = try Network(inputShape: [1, 1], layers: [
            .dense(Dense(weights: one, bias: [0])), .relu, .dense(Dense(weights: one, bias: [0])),
        ])
        let box = Box(lower: [0], upper: [1])
        let bounds = IntermediateBounds(
            tensors: [box, Box(lower: [-1], upper: [-5e-8]), Box(lower: [0], upper: [0]), Box(lower: [0], upper: [0])],
            nonlinearLayers: [1], isInfeasible: false, method: .crown)
        let region = OutputPolytope(coefficients: one, bounds: [0])
        return (try LPRelaxation(network: network, timeLimit: 10), box, bounds, region)
    }
}

/// The floating-point elastic certificate of an infeasible relaxation.
struct LPInfeasibilityCertificateTests {
    /// The leaf of `LPLeafFixture` with pre-activation bounds [−1, −0.5]: empty by 0.5, which GLPK's
    /// floating-point simplex reports and the elastic LP's duals certify (before, building the elastic LP always
    /// failed — its objective had two entries too many per row — so this ended inconclusive).
    @Test func clearlyInfeasibleLeafIsRefutedByTheElasticCertificate() throws {
        var (lp, box, bounds, region) = try LPLeafFixture.leaf()
        bounds.tensors[1] = Box(lower: [-1], upper: [-0.5])
        let answer = lp.minimiseMargin(region: region, box: box, bounds: bounds, splits: SplitSet(), timeLimit: 10)
        guard case .refuted(let bound) = answer else { Issue.record("expected refuted, got \(answer)"); return }
        #expect(bound == .infinity)
        #expect(lp.exactSolves == 0)
    }

    /// The elastic model is a valid LP whose duals bound the infeasibility: x ≥ 0, v ≤ −0.5, x − v = 0.
    @Test func elasticDualsBoundTheInfeasibility() throws {
        var model = LPModel()
        let x = model.addColumn(lower: 0, upper: 1)
        let v = model.addColumn(lower: -1, upper: -0.5)
        model.addRow([(x, 1), (v, -1)], lower: 0, upper: 0)
        model.addRow([(x, 1), (v, 1)])  // free: no slacks, and its dual proves nothing either way
        let elastic = model.elastic
        #expect(elastic.objective.count == elastic.columns.count)
        #expect(elastic.columns.count == 4)
        let solution = try #require(try LPSolver(elastic).solve().solution)
        #expect(abs(solution.objective - 0.5) < 1e-12)
        let bound = model.infeasibilityBound(elasticDuals: solution.rowDuals)
        #expect(bound > 0.5 - 1e-8 && bound <= 0.5)
        // Any duals are valid: the wrong sign proves nothing.
        #expect(model.infeasibilityBound(elasticDuals: solution.rowDuals.map { -$0 }) <= 0)
    }
}
