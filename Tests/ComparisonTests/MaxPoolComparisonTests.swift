@testable import Comparison
import Network
import Tensor
import Testing

/// Classifiers with max pools of one geometry are put side by side (the pools combine); with pools of different
/// geometry they cannot be, and their decisions are compared network by network.
@Suite struct MaxPoolComparisonTests {
    /// `x ↦ [s·max(x_0, x_1), c]` on a `[1, 1, 1, 2]` input: a 1×2 max pool, then the line-and-constant head; or,
    /// `split`, a 1×1 pool that keeps both values and a head that takes their maximum as
    /// `relu(x_0 − x_1) + relu(x_1)` (the same on inputs ≥ 0).
    static func pooled(_ c: Double, slope: Double = 1, split: Bool = false) throws -> Network {
        let width = split ? 1 : 2
        let pool = Pool2D(channels: 1, inputHeight: 1, inputWidth: 2, kernelHeight: 1, kernelWidth: width,
                          strideHeight: 1, strideWidth: 1)
        guard split else {
            return try Network(inputShape: [1, 1, 1, 2], layers: [
                .maxPool(pool), .reshape([1, 1]), .dense(Dense(weights: Matrix([[slope], [0]]), bias: [0, c])),
            ])
        }
        return try Network(inputShape: [1, 1, 1, 2], layers: [
            .maxPool(pool), .reshape([1, 2]), .dense(Dense(weights: Matrix([[1, -1], [0, 1]]), bias: [0, 0])), .relu,
            .dense(Dense(weights: Matrix([[slope, slope], [0, 0]]), bias: [0, c])),
        ])
    }

    /// With pools of one geometry the pair also has a side-by-side network. `g = [1.1m, 0.6]` against `f = [m, 0.5]`
    /// on `[0.2, 1]²`: both decide class 0 at the centre (m = 0.6) and both change class inside the box, so each
    /// network alone leaves the answer open; the disagreement lies between the two boundaries (m ∈ [1/2, 6/11)),
    /// refuted there. On `m ∈ [0.75, 1]` both keep class 0: proved.
    @Test func pooledClassifiersAreRefutedBetweenTheirBoundaries() throws {
        let f = try Self.pooled(0.5), g = try Self.pooled(0.6, slope: 1.1)
        _ = try Network.sideBySide([f, g], inputCount: 2, inputs: [[0, 1], [0, 1]])
        let comparator = Comparator(options: Pairs.quickOptions)
        let across = try Pairs.property([(0.2, 1.0), (0.2, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        let result = try comparator.compare(original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [across])
        guard case let .refuted(input, originalClass, compressedClass) = result.properties[0].decisions.first else {
            Issue.record("expected refuted, got \(result.properties[0].decisions)")
            return
        }
        #expect(originalClass == 0 && compressedClass == 1)
        let m = input.max()!
        #expect(m >= 0.5 && 1.1 * m < 0.6, "the disagreement lies between the two boundaries: m = \(m)")
        let away = try Pairs.property([(0.75, 1.0), (0.0, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        let proved = try comparator.compare(original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [away])
        #expect(proved.properties[0].decisions == [.proved])
    }

    /// `f = [m, 0.5]` and `g = [1.1m, 0.55]` both decide class 0 on `m ∈ [0.75, 1]`: proved, each network alone;
    /// `g' = [m, 0.7]` decides class 1 at the centre of `[0, 1]²` (m = 0.5, where f's tie goes to class 0):
    /// refuted there, confirmed on both networks; across the boundary `f` and `g` both change class, undecided.
    /// The copies pool with another window (1×1), so no side-by-side network exists.
    @Test func decisionsAreComparedNetworkByNetwork() throws {
        let f = try Self.pooled(0.5), g = try Self.pooled(0.55, slope: 1.1, split: true)
        let shifted = try Self.pooled(0.7, split: true)
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
