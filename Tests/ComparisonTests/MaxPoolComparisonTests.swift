@testable import Comparison
import Network
import Tensor
import Testing

/// Classifiers with max pooling cannot be put side by side, so their decisions are compared network by network.
@Suite struct MaxPoolComparisonTests {
    /// `x ↦ [s·max(x_0, x_1), c]` on a `[1, 1, 1, 2]` input: a 1×2 max pool, then the line-and-constant head.
    static func pooled(_ c: Double, slope: Double = 1) throws -> Network {
        let pool = Pool2D(channels: 1, inputHeight: 1, inputWidth: 2, kernelHeight: 1, kernelWidth: 2, strideHeight: 1,
                          strideWidth: 1)
        return try Network(inputShape: [1, 1, 1, 2], layers: [
            .maxPool(pool), .reshape([1, 1]), .dense(Dense(weights: Matrix([[slope], [0]]), bias: [0, c])),
        ])
    }

    /// `f = [m, 0.5]` and `g = [1.1m, 0.55]` both decide class 0 on `m ∈ [0.75, 1]`: proved, each network alone;
    /// `g' = [m, 0.7]` decides class 1 at the centre of `[0, 1]²` (m = 0.5, where f's tie goes to class 0):
    /// refuted there, confirmed on both networks; across the boundary `f` and `g` both change class, undecided.
    @Test func decisionsAreComparedNetworkByNetwork() throws {
        let f = try Self.pooled(0.5), g = try Self.pooled(0.55, slope: 1.1), shifted = try Self.pooled(0.7)
        #expect(throws: (any Error).self) { try Network.sideBySide([f, g], inputCount: 2, inputs: [[0, 1], [0, 1]]) }
        let comparator = Comparator(options: Pairs.quickOptions)
        let away = try Pairs.property([(0.75, 1.0), (0.0, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        let across = try Pairs.property([(0.0, 1.0), (0.0, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        let proved = try comparator.compare(original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [away])
        #expect(proved.properties[0].decisions == [.proved])
        let refuted = try comparator.compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(shifted), properties: [across])
        #expect(refuted.properties[0].decisions == [.refuted(input: [0.5, 0.5], originalClass: 0, compressedClass: 1)])
        let both = try comparator.compare(original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [across])
        guard case .undecided = both.properties[0].decisions.first else {
            Issue.record("expected undecided, got \(both.properties[0].decisions)")
            return
        }
    }

    /// "Another class wins" regions: one row `y_c − y_k ≤ 0` per other class, strict above `c` (argmax keeps the
    /// first index of a tie), mirrored for argmin.
    @Test func leavingRegionsFollowTheTieRule() {
        let regions = Comparator.leavingRegions(of: 1, classes: 3, rule: .argmax)
        #expect(regions.map(\.coefficients.storage) == [[-1, 1, 0], [0, 1, -1]] && regions.map(\.isStrict) == [[false], [true]])
        let argmin = Comparator.leavingRegions(of: 1, classes: 3, rule: .argmin)
        #expect(argmin.map(\.coefficients.storage) == [[1, -1, 0], [0, -1, 1]])
    }
}
