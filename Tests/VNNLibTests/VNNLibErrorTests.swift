import Tensor
import Testing

@testable import VNNLib

@Suite struct VNNLibErrorTests {
    let header = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n"
    let v2Header =
        "(vnnlib-version <2.0>)\n(declare-network n (declare-input X real [2]) (declare-output Y real [2]))\n"

    func expectError(
        _ text: String, _ problem: VNNLibError.Problem, _ line: Int, _ column: Int,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let error = specificationError(text)
        #expect(error?.problem == problem, sourceLocation: sourceLocation)
        #expect(
            error?.line == line && error?.column == column, "\(String(describing: error))",
            sourceLocation: sourceLocation)
        #expect(error?.file == "t.vnnlib", sourceLocation: sourceLocation)
    }

    @Test func lexicalAndSyntaxErrors() {
        expectError("; only a comment\n\n", .emptyFile, 1, 1)
        expectError("", .emptyFile, 1, 1)
        expectError(header + "(assert (<= X_0 1)", .syntax(expected: "')'", found: "end of file"), 3, 19)
        expectError(
            header + "(foo)", .syntax(expected: "'declare-const', 'declare-fun' or 'assert'", found: "'foo'"), 3, 2)
        expectError(header + "(assert (<= X_0 1e))", .invalidNumber("1e"), 3, 17)
        expectError(header + "(assert (<= X_0 ))", .syntax(expected: "a term", found: "')'"), 3, 17)
        expectError(header + "(assert (and))", .syntax(expected: "an operand of 'and'", found: "')'"), 3, 13)
        expectError(header + "(assert (<= X_0 1 2))", .syntax(expected: "')'", found: "'2'"), 3, 19)
        expectError(header + ")", .syntax(expected: "'(' starting a declaration or assertion", found: "')'"), 3, 1)
        expectError(
            header + "(assert (hello X_0 1))",
            .syntax(expected: "'and', 'or' or a comparison operator", found: "'hello'"), 3, 10)
        expectError("(declare-const X_0 \"Real)", .unterminatedString, 1, 20)
        expectError(String(repeating: "(", count: 20_000), .nestingTooDeep(limit: 1_000), 1, 1_001)
    }

    @Test func declarationErrors() {
        expectError(header + "(assert (<= X_1 1))", .undeclaredVariable("X_1"), 3, 13)
        expectError(header + "  (declare-const X_0 Real)", .duplicateDeclaration("X_0"), 3, 18)
        expectError(
            header + "(declare-const Y_2 Real)", .indexOutOfRange(variable: "Y_2", index: [2], shape: [2]), 3, 16)
        expectError(
            "(declare-const Z_0 Real)",
            .unsupportedConstruct("variable name 'Z_0' (VNN-LIB 1 variables are X_i and Y_i)"), 1, 16)
        expectError(
            "(declare-const X_0 Int)", .unsupportedConstruct("variable type 'Int' (VNN-LIB 1 supports Real)"), 1, 20)
        expectError(v2Header + "(assert (<= X[2] 1.0))", .indexOutOfRange(variable: "X", index: [2], shape: [2]), 3, 13)
        expectError(
            v2Header + "(assert (<= X[0,0] 1.0))", .indexOutOfRange(variable: "X", index: [0, 0], shape: [2]), 3, 13)
        expectError(v2Header + "(assert (<= W[0] 1.0))", .undeclaredVariable("W"), 3, 13)
        expectError(
            "(vnnlib-version <2.0>)\n(declare-network n (declare-input X bogus [2]))", .unknownElementType("bogus"), 2,
            37)
        expectError("(vnnlib-version <3.0>)", .unsupportedVersion("<3.0>"), 1, 17)
        expectError(
            "(vnnlib-version <2.0>)\n(declare-network n (declare-input X real [2]) (declare-output X real [1]))",
            .duplicateDeclaration("X"), 2, 63)
        expectError(
            v2Header + "(declare-network m (equal-to q) (declare-input A real [2]) (declare-output B real [2]))",
            .invalidEquivalence("no earlier network named q"), 3, 30)
        expectError(
            v2Header + "(declare-network m (equal-to n) (declare-input A real [3]) (declare-output B real [2]))",
            .invalidEquivalence("A real [3] does not match X real [2]"), 3, 48)
        expectError(
            "(vnnlib-version <2.0>)\n(declare-network n (declare-input X real [2]))",
            .syntax(expected: "'(declare-output' in network n", found: "')'"), 2, 46)
    }

    @Test func semanticErrors() {
        let nonLinear = header + "(assert (<= (* X_0 X_0) 1))"
        expectError(nonLinear, .nonLinearTerm, 3, 13)
        expectError(
            header + "(assert (<= X_0 Y_0))", .unsupportedConstruct("comparison mixing inputs and outputs"), 3, 9)
        expectError(v2Header + "(assert (!= Y[0] Y[1]))", .unsupportedConstruct("'!=' comparison"), 3, 9)
        expectError(header + "(assert (not (<= X_0 1)))", .unsupportedConstruct("'not'"), 3, 10)
        expectError(header + "(assert (<= (/ X_0 2) 1))", .unsupportedConstruct("'/'"), 3, 14)
        expectError(header + "(assert (<= X_0 1))\n(assert (>= Y_0 1))", .unboundedInput("X_0"), 3, 9)
        expectError(
            v2Header + "(assert (and (<= X[0] 1.0) (>= X[0] 0.0) (<= X[1] 1.0)))", .unboundedInput("X[1]"), 3, 14)
        expectError(
            header + "(assert (<= (* 1e300 1e300 X_0) 1))",
            .unsupportedConstruct("arithmetic overflow (a non-finite coefficient)"), 3, 9)
        expectError(
            "(vnnlib-version <2.0>)\n(declare-network n (declare-input X real [10000, 10000]",
            .unsupportedConstruct("shape [10000, 10000] with more than 4000000 elements"), 2, 42)
        var many = header + "(assert (<= X_0 1)) (assert (>= X_0 0))\n"
        for _ in 0..<17 { many += "(assert (or (<= Y_0 1) (>= Y_0 2)))\n" }
        expectError(many, .tooManyDisjuncts(limit: 100_000), 20, 13)
        let hidden =
            "(vnnlib-version <2.0>)\n(declare-network n (declare-input X real []) (declare-hidden H real [] \"h\") (declare-output Y real []))\n(assert (<= H 1.0))"
        expectError(hidden, .unsupportedConstruct("hidden variable H in an assertion"), 3, 9)
    }

    @Test func normalFormSizeLimit() {
        var text = header + "(assert (<= X_0 1))\n(assert (>= X_0 0))\n"
        for _ in 0..<300 { text += "(assert (<= Y_0 5))\n" }
        for _ in 0..<16 { text += "(assert (or (<= Y_0 1) (>= Y_0 2)))\n" }
        // 2^16 terms × 334 comparisons > 20,000,000: rejected before anything is built.
        let error = specificationError(text)
        #expect(error?.problem == .normalFormTooLarge(limit: 20_000_000))
        #expect(error?.location == SourceLocation(line: 3, column: 1))
    }

    @Test func descriptionAndUnreadableFile() {
        let error = specificationError(header + "(assert (<= X_1 1))", file: "props/p.vnnlib")
        #expect(error?.description == "props/p.vnnlib:3:13: undeclared variable X_1")
        let missing = vnnlibError { () throws(VNNLibError) in
            _ = try VNNLibParser.parseFile(atPath: "/nonexistent/p.vnnlib")
        }
        guard case .unreadableFile = missing?.problem else {
            Issue.record("expected unreadableFile, got \(String(describing: missing))")
            return
        }
        #expect(missing?.description == "/nonexistent/p.vnnlib: No such file or directory")
    }

    @Test func emptyBoxesAndFalseConstantsDropTerms() throws {
        let text =
            header + """
                (assert (or (and (<= X_0 1) (>= X_0 2)) (and (<= X_0 1) (>= X_0 0) (<= 1 0)) (and (<= X_0 1) (>= X_0 0) (<= 0 1))))
                (assert (>= Y_0 3))
                """
        let spec = try VNNLibParser.parse(contents: text).specification()
        #expect(spec.cases.count == 1 && spec.cases[0].inputBox == Tensor.Box(lower: [0], upper: [1]))
        #expect(spec.cases[0].disjuncts.count == 1 && spec.cases[0].disjuncts[0].bounds == [-3])
    }
}
