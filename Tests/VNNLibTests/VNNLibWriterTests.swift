import Tensor
import Testing

@testable import VNNLib

@Suite struct VNNLibWriterTests {
    @Test func decimalFormatting() {
        #expect(VNNLibWriter.decimal(1) == "1.0")
        #expect(VNNLibWriter.decimal(-0.5) == "-0.5")
        #expect(VNNLibWriter.decimal(6.65e-05) == "0.0000665")
        #expect(VNNLibWriter.decimal(-1.25e-7) == "-0.000000125")
        #expect(VNNLibWriter.decimal(1.5e20) == "150000000000000000000.0")
        #expect(VNNLibWriter.decimal(0.029999999329447746) == "0.029999999329447746")
        for value in [6.65e-05, 1e-300, 123456789.125, -3.991125645861615, Double.leastNonzeroMagnitude, 1.7976931348623157e308] {
            #expect(Double(VNNLibWriter.decimal(value)) == value)
        }
    }

    @Test func version1RoundTripOfEveryVersion1Fixture() throws {
        for name in Fixture.allNames where !name.hasPrefix("v2_") {
            let spec = try Fixture.specification(name)
            let text = try VNNLibWriter.version1(spec)
            let again = try VNNLibParser.parse(contents: text, fileName: "written-\(name)").specification()
            #expect(again == spec, "\(name)")
            // The v2 writer round-trips the cases too (the version differs).
            let v2 = try VNNLibParser.parse(contents: VNNLibWriter.version2(spec)).specification()
            #expect(v2.cases == spec.cases && v2.version == .v2, "\(name)")
        }
    }

    @Test func version2RoundTripOfMultiNetworkFixtures() throws {
        for name in ["v2_isomorphic.vnnlib", "v2_multi_tensor.vnnlib", "v2_acasxu_prop_6.vnnlib"] {
            let spec = try Fixture.specification(name)
            let text = VNNLibWriter.text(of: spec)
            let again = try VNNLibParser.parse(contents: text).specification()
            #expect(again == spec, "\(name)")
        }
        let multi = try Fixture.specification("v2_multi_tensor.vnnlib")
        #expect(throws: VNNLibError.self) { try VNNLibWriter.version1(multi) }
        #expect(VNNLibWriter.version2(multi).contains("(declare-hidden H float32 [4] \"/layer1/Relu_output_0\")"))
        #expect(VNNLibWriter.version2(multi).contains("(declare-input B float32 [] initialized)"))
    }

    @Test func writtenProp6Text() throws {
        let spec = try Fixture.specification("acasxu_prop_6.vnnlib")
        let text = try VNNLibWriter.version1(spec)
        #expect(text.contains("(declare-const X_4 Real)\n(declare-const Y_0 Real)"))
        #expect(text.contains("(and (<= X_0 0.700434925) (>= X_0 -0.129289109)"))
        #expect(text.contains("(<= (+ (* -1.0 Y_0) Y_1) -0.0))"))
    }

    @Test func specificationBuiltInCodeRoundTrips() throws {
        let polytope = OutputPolytope(
            coefficients: Matrix([[1, -2, 0], [0, 0.125, -1]]), bounds: [0.5, -3e-6], isStrict: [false, true])
        let network = NetworkBinding(
            name: "network",
            inputs: [
                .init(
                    declaration: VariableDeclaration(name: "X", role: .input, elementType: .real, shape: [2]), offset: 0
                )
            ],
            outputs: [
                .init(
                    declaration: VariableDeclaration(name: "Y", role: .output, elementType: .real, shape: [3]),
                    offset: 0)
            ])
        let cases = [
            PropertyCase(inputBox: Box(lower: [0, -1], upper: [1, 1]), disjuncts: [polytope, polytope]),
            PropertyCase(
                inputBox: Box(lower: [-1, -1], upper: [0, 1]),
                inputConstraints: [LinearConstraint(coefficients: [1, 1], bound: 0.5, isStrict: true)],
                disjuncts: [OutputPolytope(rows: [], outputCount: 3)]),
        ]
        let spec = Specification(version: .v1, networks: [network], cases: cases)
        let again = try VNNLibParser.parse(contents: try VNNLibWriter.version1(spec)).specification()
        #expect(again == spec)
        let empty = Specification(version: .v1, networks: [network], cases: [])
        #expect(try VNNLibParser.parse(contents: try VNNLibWriter.version1(empty)).specification() == empty)
    }
}
