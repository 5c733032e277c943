import Testing

@testable import VNNLib

/// Comparisons mixing inputs and outputs: refused by default, kept per disjunct as rows over `[y; x]` when
/// ``Query/NormalizationOptions/allowsMixedComparisons``.
@Suite struct MixedComparisonTests {
    static let text = """
        (declare-const X_0 Real)
        (declare-const X_1 Real)
        (declare-const Y_0 Real)
        (declare-const Y_1 Real)
        (assert (and (>= X_0 0) (<= X_0 1) (>= X_1 0) (<= X_1 1)))
        (assert (or (and (>= Y_0 (+ X_1 0.5)) (<= Y_1 2)) (>= Y_1 Y_0)))
        """

    @Test func mixedComparisonsBecomeRowsOverOutputsThenInputs() throws {
        let query = try VNNLibParser.parse(contents: Self.text)
        #expect(throws: VNNLibError.self) { try query.specification() }
        let spec = try query.specification(options: .init(allowsMixedComparisons: true))
        let c = try #require(spec.cases.first)
        #expect(spec.cases.count == 1 && c.disjuncts.count == 2 && c.hasMixedConstraints)
        // Y_0 ≥ X_1 + 0.5  ⇔  −Y_0 + X_1 ≤ −0.5, in the first disjunct only, beside its output row Y_1 ≤ 2.
        #expect(c.mixedConstraints == [[LinearConstraint(coefficients: [-1, 0, 0, 1], bound: -0.5)], []])
        #expect(c.disjuncts[0].coefficients.row(0) == [0, 1] && c.disjuncts[0].bounds == [2])
        #expect(c.inputConstraints.isEmpty)
        // A query without them has no mixed rows at all.
        let plain = try VNNLibParser.parse(contents: Self.text.replacingOccurrences(of: "X_1 0.5", with: "0.5 0.5"))
            .specification(options: .init(allowsMixedComparisons: true))
        #expect(plain.cases.allSatisfy { $0.mixedConstraints.isEmpty })
    }
}

/// Hidden nodes: refused by default; with ``Query/NormalizationOptions/allowsHiddenNodes``, offsets in the hidden
/// vector and rows over `[y; h; x]`.
@Suite struct HiddenNodeNormalFormTests {
    static let text = """
        (vnnlib-version <2.0>)
        (declare-network N
            (declare-input X float32 [2])
            (declare-hidden A float32 [2] "a")
            (declare-hidden B float32 [3] "b")
            (declare-output Y float32 [1]))
        (assert (and (>= X[0] 0) (<= X[0] 1) (>= X[1] 0) (<= X[1] 1)))
        (assert (>= B[2] (+ X[1] Y[0])))
        """

    @Test func hiddenRowsSitBetweenOutputsAndInputs() throws {
        let query = try VNNLibParser.parse(contents: Self.text)
        #expect(throws: VNNLibError.self) { try query.specification() }
        let spec = try query.specification(options: .init(allowsHiddenNodes: true))
        #expect(spec.hiddenCount == 5 && spec.networks[0].hiddenVariables.map(\.offset) == [0, 2])
        // B[2] ≥ X[1] + Y[0]  ⇔  Y[0] − B[2] + X[1] ≤ 0, over [Y0; A0 A1 B0 B1 B2; X0 X1].
        #expect(spec.cases[0].mixedConstraints == [[LinearConstraint(coefficients: [1, 0, 0, 0, 0, -1, 0, 1], bound: -0.0)]])
    }
}

/// The integer types' ranges, as Doubles (the 64-bit upper ends rounded down), and the clamped values printed for
/// integer assignments.
@Suite struct IntegerElementTypeTests {
    @Test func rangesAndValues() {
        #expect(ElementType.int8.integerRange == -128...127)
        #expect(ElementType.uint16.integerRange == 0...65_535)
        #expect(ElementType.int32.integerRange == -2_147_483_648...2_147_483_647)
        #expect(ElementType.uint32.integerRange == 0...4_294_967_295)
        #expect(ElementType.int64.integerRange == -9_223_372_036_854_775_808...9_223_372_036_854_774_784)
        #expect(ElementType.uint64.integerRange == 0...18_446_744_073_709_549_568)
        #expect(ElementType.float32.integerRange == nil && ElementType.int4.integerRange == nil)
        #expect(ElementType.int64.integerValue(9.3e18) == 9_223_372_036_854_774_784)
        #expect(ElementType.uint8.integerValue(-3) == 0 && ElementType.int8.integerValue(2.6) == 3)
        #expect(ElementType.int16.integerValue(.nan) == 0)
    }
}
