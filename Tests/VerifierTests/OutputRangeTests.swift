import Network
import Tensor
import Testing
import VNNLib
import Verifier

/// The output range a network's last layer guarantees (``Network/outputRange``), and the regions it refutes before
/// any bound is propagated (``OutputPolytope/isEmpty(within:)``): strict rows at the range's endpoints, which
/// propagated bounds, widened outward for rounding, never refute.
struct OutputRangeTests {
    static let identity2 = Layer.dense(Dense(weights: Matrix.identity(2), bias: [0, 0]))

    @Test func theLastLayerGivesTheRange() throws {
        func range(_ layers: [Layer]) throws -> Box? { try Network(inputShape: [1, 2], layers: layers).outputRange }
        #expect(try range([Self.identity2, .softmax(Softmax(size: 2))]) == Box(lower: [0, 0], upper: [1, 1]))
        #expect(try range([Self.identity2, .sigmoid, .reshape([1, 2])]) == Box(lower: [0, 0], upper: [1, 1]))
        #expect(try range([Self.identity2, .tanh]) == Box(lower: [-1, -1], upper: [1, 1]))
        #expect(try range([Self.identity2, .relu]) == Box(lower: [0, 0], upper: [.infinity, .infinity]))
        #expect(try range([Self.identity2, .relu, Self.identity2]) == nil)
    }

    @Test func rowsAreRefutedExactlyAtTheEndpoints() {
        let unit = Box(lower: [0, 0], upper: [1, 1])
        func polytope(_ row: [Double], _ bound: Double, strict: Bool) -> OutputPolytope {
            OutputPolytope(coefficients: Matrix(rows: 1, columns: 2, storage: row), bounds: [bound], isStrict: [strict])
        }
        // Y_0 < 0 and Y_0 > 1 (as −Y_0 < −1) have no solution in [0, 1]; Y_0 ≤ 0 and Y_0 ≥ 1 have one.
        #expect(polytope([1, 0], 0, strict: true).isEmpty(within: unit))
        #expect(polytope([-1, 0], -1, strict: true).isEmpty(within: unit))
        #expect(!polytope([1, 0], 0, strict: false).isEmpty(within: unit))
        #expect(!polytope([-1, 0], -1, strict: false).isEmpty(within: unit))
        // Y_0 + Y_1 > 2 is refuted, Y_0 + Y_1 > 1.999 is not; 0.1·Y_0 < 0 is (exact products, no rounding).
        #expect(polytope([-1, -1], -2, strict: true).isEmpty(within: unit))
        #expect(!polytope([-1, -1], -1.999, strict: true).isEmpty(within: unit))
        #expect(polytope([0.1, 0], -1e-300, strict: false).isEmpty(within: unit))
        // A row that needs an unbounded corner refutes nothing: Y_0 > 5 over [0, ∞).
        #expect(!polytope([-1, 0], -5, strict: true).isEmpty(within: Box(lower: [0, 0], upper: [.infinity, 1])))
        #expect(polytope([1, 0], -1, strict: false).isEmpty(within: Box(lower: [0, 0], upper: [.infinity, 1])))
    }

    /// vnnlib-satisfactory's softmax01: `Y_0 < 0 ∨ Y_0 > 1` over `[−1000, 1000]²` is unsat, proven without a node;
    /// a network ending in a ReLU likewise for `Y_0 < 0`, while `Y_0 < 0.5` still finds its counterexample.
    @Test func rangeRefutedPropertiesAreProvenWithoutANode() throws {
        let verifier = Verifier(options: VerificationOptions(timeout: 20))
        let softmax = try Network(inputShape: [1, 2], layers: [Self.identity2, .softmax(Softmax(size: 2))])
        let outside = try SoftmaxVerificationTests.query(
            lower: -1000, upper: 1000, outputs: 2, "(or (< Y_0 0.0) (> Y_0 1.0))")
        let proven = try verifier.verify(network: softmax, specification: outside)
        #expect(proven.verdict == .proven, "\(proven.verdict)")
        #expect(proven.statistics.nodes == 0)

        let relu = try Network(inputShape: [1, 2], layers: [Self.identity2, .relu])
        let negative = try verifier.verify(
            network: relu, specification: SoftmaxVerificationTests.query(lower: -1, upper: 1, outputs: 2, "(< Y_0 0.0)"))
        #expect(negative.verdict == .proven, "\(negative.verdict)")
        let small = try verifier.verify(
            network: relu, specification: SoftmaxVerificationTests.query(lower: -1, upper: 1, outputs: 2, "(< Y_0 0.5)"))
        guard case .violated(let cex) = small.verdict else {
            Issue.record("expected sat, got \(small.verdict)")
            return
        }
        #expect(relu.evaluate(cex.input)[0] < 0.5)
    }
}
