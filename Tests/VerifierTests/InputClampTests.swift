import Foundation
import Network
import ONNX
import Tensor
import TestSupport
import Testing
import VNNLib
import Verifier

/// A `.nnet` network clips its inputs: properties over boxes beyond the range are decided over the clipped box,
/// and witnesses found there are mapped back into the property's box.
@Suite struct InputClampTests {
    /// `y = x` with inputs clipped to [0, 1].
    static func identity() throws -> Network {
        try NNetReader.parse(NNetFixtures.identityOnUnitInterval, fileName: "identity.nnet"
        ).network
    }

    /// `X_0` in [lower, upper] and one output constraint.
    static func property(lower: Double, upper: Double, output: String) throws -> Specification {
        try VNNLibParser.parse(
            contents: """
                (declare-const X_0 Real)
                (declare-const Y_0 Real)
                (assert (>= X_0 \(lower)))
                (assert (<= X_0 \(upper)))
                (assert \(output))
                """
        ).specification()
    }

    @Test func clampedBoxClipsBothCorners() throws {
        let clamp = InputClamp(network: try Self.identity())
        #expect(clamp.domain == Box(lower: [0], upper: [1]))
        #expect(clamp.clampedBox(Box(lower: [0], upper: [2])) == Box(lower: [0], upper: [1]))
        #expect(clamp.clampedBox(Box(lower: [-1], upper: [0.5])) == Box(lower: [0], upper: [0.5]))
        #expect(clamp.clampedBox(Box(lower: [2], upper: [3])) == Box(lower: [1], upper: [1]))
        let box = Box(lower: [-5, 2], upper: [5, 3])
        #expect(InputClamp(domain: nil).clampedBox(box) == box)
        #expect(InputClamp(domain: Box(lower: [0, 0], upper: [1, 1])).clampedBox(box) == Box(lower: [0, 1], upper: [1, 1]))
    }

    /// A witness found over the clipped box is a point of the property's region with the same clipped value.
    @Test func witnessesMapBackIntoTheStatedRegion() throws {
        let network = try Self.identity()
        let check = WitnessCheck(network: network)
        let atMost = OutputPolytope(coefficients: Matrix(rows: 1, columns: 1, storage: [1]), bounds: [1.5])
        func confirm(_ x: Double, clippedBox: Box, region: Box) -> Counterexample? {
            check.confirm([x], box: clippedBox, inputRegion: InputRegion(closed: region), region: atMost,
                          caseIndex: 0, disjunctIndex: 0)
        }
        // Inside the range the point is kept.
        #expect(confirm(0.5, clippedBox: Box(lower: [0], upper: [1]), region: Box(lower: [0], upper: [2]))?.input
            == [0.5])
        // [2, 3] clips to [1, 1]: the witness is the region's point nearest to 1, and y = clip(2) = 1.
        let mapped = try #require(confirm(1, clippedBox: Box(lower: [1], upper: [1]), region: Box(lower: [2], upper: [3])))
        #expect(mapped.input == [2] && mapped.output == [1] && mapped.outputFloat32 == [1])
        // A region starting at 2.1 (not a Float32 value): the Float32 just above it.
        let above = try #require(confirm(1, clippedBox: Box(lower: [1], upper: [1]), region: Box(lower: [2.1], upper: [3])))
        #expect(above.input[0] >= 2.1 && Double(Float(above.input[0])) == above.input[0])
        // [2.1, 2.1] holds no Float32 value: no witness.
        #expect(confirm(1, clippedBox: Box(lower: [1], upper: [1]), region: Box(lower: [2.1], upper: [2.1])) == nil)
    }

    /// The audit's reproducer: `Y_0 ≥ 1.5` over [0, 2] was `sat` with X_0 = 1.77, but y = clip(x) ≤ 1; and over
    /// [2, 3] the layers alone give y ≥ 2 (a wrong unsat) where the clipped network gives y = 1.
    @Test func verifierDecidesClippedNetworksEndToEnd() throws {
        let network = try Self.identity()
        let verifier = Verifier(options: VerificationOptions(timeout: 10))
        let unreachable = try Self.property(lower: 0, upper: 2, output: "(>= Y_0 1.5)")
        #expect(try verifier.verify(network: network, specification: unreachable).verdict == .proven)
        let reachable = try Self.property(lower: 2, upper: 3, output: "(<= Y_0 1.5)")
        let result = try verifier.verify(network: network, specification: reachable)
        guard case .violated(let cex) = result.verdict else {
            Issue.record("expected sat, got \(result.verdict)")
            return
        }
        #expect(reachable.cases[0].inputBox.contains(cex.input) && cex.output == [1])
        #expect(reachable.violation(input: cex.input, output: network.evaluate(cex.input)) != nil)
    }
}
