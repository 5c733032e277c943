import Foundation
import Network
import ONNX
import Testing
import VNNLib
import Verifier

/// The soundness audit's instances (issue 9), each against its exact answer. `id1` is y = x with one input, `id2`
/// y = x with two; both are single-Gemm ONNX models (`Fixtures/audit/make_identity.py`). A verdict that is not
/// the truth must be `unknown`/`timeout` or a clean error, never the opposite word.
struct SoundnessAuditTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/audit")

    static func network(_ name: String) throws -> Network {
        try NetworkLoader.load(path: fixtures.appendingPathComponent("\(name).onnx").path)
    }

    /// A VNN-LIB 1 property over `inputs` inputs and `outputs` outputs with the given asserts.
    static func property(inputs: Int, outputs: Int, _ asserts: String) throws -> Specification {
        let declarations = (0..<inputs).map { "(declare-const X_\($0) Real)" }
            + (0..<outputs).map { "(declare-const Y_\($0) Real)" }
        return try VNNLibParser.parse(contents: declarations.joined(separator: "\n") + "\n" + asserts)
            .specification()
    }

    static func verify(_ network: Network, _ spec: Specification) throws -> Verdict {
        try Verifier(options: VerificationOptions(timeout: 10, search: SearchOptions(workers: 1))).verify(network: network, specification: spec)
            .verdict
    }

    static func isSat(_ verdict: Verdict) -> Bool {
        if case .violated = verdict { return true }
        return false
    }

    // MARK: 1. Strict input bounds

    @Test(arguments: [
        "(assert (>= X_0 0.0)) (assert (< X_0 1.0)) (assert (>= Y_0 1.0))",
        "(assert (> X_0 0.0)) (assert (<= X_0 1.0)) (assert (<= Y_0 0.0))",
        "(assert (< X_0 1.0)) (assert (>= X_0 0.0)) (assert (> Y_0 0.99999994039535522))",
    ])
    func strictInputBoundsNeverGiveAWitnessOnTheirBoundary(asserts: String) throws {
        let verdict = try Self.verify(Self.network("id1"), Self.property(inputs: 1, outputs: 1, asserts))
        #expect(!Self.isSat(verdict), "truth is unsat: \(verdict)")
    }

    @Test func strictInputBoundsInVersion2() throws {
        let text = """
            (vnnlib-version <2.0>)
            (declare-network f (declare-input X float32 [1, 1]) (declare-output Y float32 [1, 1]))
            (assert (and (>= X[0,0] 0.0) (< X[0,0] 1.0)))
            (assert (>= Y[0,0] 1.0))
            """
        let spec = try VNNLibParser.parse(contents: text).specification()
        #expect(spec.cases[0].inputRegion.upperIsOpen == [true])
        #expect(!Self.isSat(try Self.verify(Self.network("id1"), spec)))
    }

    @Test func aWitnessInsideAnOpenBoxIsStillFound() throws {
        let spec = try Self.property(inputs: 1, outputs: 1, "(assert (> X_0 0.0)) (assert (< X_0 1.0)) (assert (>= Y_0 0.5))")
        guard case .violated(let cex) = try Self.verify(Self.network("id1"), spec) else {
            Issue.record("expected a witness")
            return
        }
        #expect(cex.input[0] > 0 && cex.input[0] < 1 && cex.output[0] >= 0.5)
        #expect(spec.violation(input: cex.input, output: cex.output) != nil)
        #expect(spec.violation(input: [1.0], output: [1.0]) == nil, "x = 1 lies outside the open box")
    }

    @Test func contradictoryStrictBoundsDropTheCase() throws {
        let spec = try Self.property(inputs: 1, outputs: 1, "(assert (>= X_0 1.0)) (assert (< X_0 1.0)) (assert (>= Y_0 0.0))")
        #expect(spec.cases.isEmpty)
        #expect(try Self.verify(Self.network("id1"), spec) == .proven)
    }

    // MARK: 2. No output constraint

    @Test(arguments: ["", "(assert (<= 0 1))"])
    func noOutputConstraintWithoutAFloat32InputIsUnknown(extra: String) throws {
        let spec = try Self.property(inputs: 1, outputs: 1, "(assert (>= X_0 0.1)) (assert (<= X_0 0.1)) \(extra)")
        guard case .unknown = try Self.verify(Self.network("id1"), spec) else {
            Issue.record("every real input violates, but none is a Float32 value: expected unknown")
            return
        }
    }

    @Test func noOutputConstraintOverABoxIsSat() throws {
        let spec = try Self.property(inputs: 1, outputs: 1, "(assert (>= X_0 0.0)) (assert (<= X_0 1.0)) (assert (<= 0 1))")
        guard case .violated(let cex) = try Self.verify(Self.network("id1"), spec) else {
            Issue.record("every input violates: expected sat")
            return
        }
        #expect((0...1).contains(cex.input[0]))
    }

    // MARK: 3. Underflowed coefficients

    @Test(arguments: ["5.0", "-5.0"])
    func underflowingCoefficientsAreRefused(bound: String) throws {
        let asserts = """
            (assert (>= X_0 0.0)) (assert (<= X_0 1.0))
            (assert (<= (* 1e-200 (* 1e-200 X_0)) \(bound)))
            (assert (>= Y_0 0.5))
            """
        #expect {
            try Self.property(inputs: 1, outputs: 1, asserts)
        } throws: { error in
            (error as? VNNLibError)?.problem == .arithmeticUnderflow
        }
    }

    @Test func inexactQuotientsAreRoundedOutwardForProofsAndInwardForWitnesses() throws {
        let spec = try Self.property(inputs: 1, outputs: 1, "(assert (>= X_0 0.0)) (assert (<= (* 3.0 X_0) 1.0)) (assert (>= Y_0 0.0))")
        let c = spec.cases[0]
        // 1/3 is not a Double: the proof box ends at or above it, the witness region at or below it.
        let outer = c.inputBox.upper[0], inner = c.inputRegion.upper[0]
        #expect(outer.addingProduct(0, 0) == outer && 3 * outer >= 1 && inner < outer && inner.nextUp == outer)
        #expect((-1.0).addingProduct(3, inner) <= 0, "3·inner ≤ 1 exactly")
        #expect((-1.0).addingProduct(3, outer) > 0, "3·outer > 1 exactly")
    }

    // MARK: 4. A case of positive width below rounding

    @Test func aThinCaseIsKeptNotDropped() throws {
        let asserts = """
            (assert (>= X_0 0.698089063167572)) (assert (<= X_0 0.698089063167572))
            (assert (>= X_1 0.003025507628917679))
            (assert (<= (+ (* 1.1 X_0) (* 4.0 X_1)) 0.78))
            (assert (>= Y_0 0.0))
            """
        let spec = try Self.property(inputs: 2, outputs: 2, asserts)
        #expect(spec.cases.count == 1, "the feasible X_1 range has width 6.3e-18: the case is not provably empty")
        #expect(spec.cases.first.map { $0.inputBox.upper[1] >= $0.inputBox.lower[1] } == true)
        // Verified on x ↦ [f(x); x] (InputConstraintLifting): the case may not be proven, and a sat must carry a
        // witness inside it — here the feasible X_1 range holds no Float32 value, so the answer is unknown.
        let verdict = try Self.verify(Self.network("id2"), spec)
        #expect(verdict != .proven)
        if case .violated(let cex) = verdict { #expect(spec.cases[0].contains(input: cex.input)) }
        if case .unknown = verdict {} else { #expect(Self.isSat(verdict), "\(verdict)") }
    }

    @Test func anInfeasibleLinearConstraintStillDropsItsCase() throws {
        let asserts = """
            (assert (>= X_0 0.5)) (assert (<= X_0 1.0)) (assert (>= X_1 0.5))
            (assert (<= (+ X_0 X_1) 0.9))
            (assert (>= Y_0 0.0))
            """
        #expect(try Self.property(inputs: 2, outputs: 2, asserts).cases.isEmpty)
    }

    // MARK: 5. Huge time limits

    @Test(arguments: [1e16, Double.infinity, Double.greatestFiniteMagnitude])
    func hugeTimeoutsAreCapped(timeout: Double) throws {
        let spec = try Self.property(inputs: 1, outputs: 1, "(assert (>= X_0 0.0)) (assert (<= X_0 1.0)) (assert (>= Y_0 2.0))")
        let result = try Verifier(options: VerificationOptions(timeout: timeout)).verify(
            network: Self.network("id1"), specification: spec)
        #expect(result.verdict == .proven)
    }

    // MARK: 7. VNN-LIB 2.0 element types and shapes

    static func version2(input: String, output: String = "(declare-output Y float32 [1, 1])") -> String {
        """
        (vnnlib-version <2.0>)
        (declare-network f \(input) \(output))
        (assert (>= Y[0,0] 0.5))
        """
    }

    @Test(arguments: [
        "(declare-input X int8 [1, 1])",
        "(declare-input X bfloat16 [1, 1])",
        "(declare-input X float32 [1, 1]) (declare-input Z float32 [1, 1])",
    ])
    func unsupportedVersion2InputDeclarationsAreRefused(input: String) throws {
        var box = "(assert (and (>= X[0,0] 0.0) (<= X[0,0] 1.0)))\n"
        if input.contains("Z") { box += "(assert (and (>= Z[0,0] 0.0) (<= Z[0,0] 1.0)))\n" }
        let text = Self.version2(input: input).replacingOccurrences(of: "(assert", with: box + "(assert")
        let spec = try VNNLibParser.parse(contents: text).specification()
        #expect(throws: VerifierError.self) { try Self.verify(Self.network("id1"), spec) }
    }

    @Test func aTransposedShapeIsRefusedAndAFlatOneAccepted() throws {
        let transposed = try VNNLibParser.parse(contents: """
            (vnnlib-version <2.0>)
            (declare-network f (declare-input X float32 [2, 1]) (declare-output Y float32 [1, 2]))
            (assert (and (>= X[0,0] 0.0) (<= X[0,0] 1.0) (>= X[1,0] 0.0) (<= X[1,0] 1.0)))
            (assert (>= Y[0,0] 0.5))
            """).specification()
        #expect(throws: VerifierError.self) { try Self.verify(Self.network("id2"), transposed) }
        let flat = try VNNLibParser.parse(contents: """
            (vnnlib-version <2.0>)
            (declare-network f (declare-input X float32 [2]) (declare-output Y float32 [1, 2]))
            (assert (and (>= X[0] 0.0) (<= X[0] 1.0) (>= X[1] 0.0) (<= X[1] 1.0)))
            (assert (>= Y[0,0] 0.5))
            """).specification()
        #expect(Self.isSat(try Self.verify(Self.network("id2"), flat)))
    }
}
