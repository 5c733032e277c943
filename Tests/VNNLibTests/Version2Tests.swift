import Tensor
import Testing

@testable import VNNLib

@Suite struct Version2Tests {
    @Test func acasxuProp6FlatShapes() throws {
        let query = try VNNLibParser.parseFile(atPath: Fixture.path("v2_acasxu_prop_6.vnnlib"))
        #expect(query.version == .v2 && query.networks.count == 1)
        #expect(query.networks[0].inputs[0].elementType == .real && query.networks[0].inputs[0].shape == [5])
        let v2 = try query.specification()
        let v1 = try Fixture.specification("acasxu_prop_6.vnnlib")
        #expect(v2.cases == v1.cases)
        #expect(v2.cases.count == 2 && v2.cases.map(\.disjuncts.count) == [4, 4])
        #expect(v2.inputName(3) == "X[3]" && v1.inputName(3) == "X_3")
    }

    @Test func isomorphicTemplate() throws {
        let query = try VNNLibParser.parseFile(atPath: Fixture.path("v2_isomorphic.vnnlib"))
        #expect(query.networks.map(\.name) == ["f", "g"])
        #expect(query.networks[1].equivalence == .isomorphicTo("f"))
        let spec = try query.specification()
        #expect(spec.inputCount == 10 && spec.outputCount == 10)
        #expect(spec.networks[1].inputs[0].offset == 5 && spec.networks[1].outputs[0].offset == 5)
        #expect(spec.inputName(7) == "X_g[0,0,0,2]" && spec.outputName(1) == "Y_f[0,1]")
        #expect(spec.cases.count == 1)
        let c = spec.cases[0]
        // X_g is bounded only through X_f == X_g: bound propagation gives it X_f's box.
        let lower = [0.6, -0.5, -0.5, 0.45, -0.5]
        let upper = [0.679857769, 0.5, 0.5, 0.5, -0.45]
        #expect(c.inputBox.lower == lower + lower && c.inputBox.upper == upper + upper)
        #expect(c.inputConstraints.count == 10)
        var equality = [Double](repeating: 0, count: 10)
        equality[0] = 1
        equality[5] = -1
        #expect(c.inputConstraints[0] == LinearConstraint(coefficients: equality, bound: 0))
        #expect(c.inputConstraints[1] == LinearConstraint(coefficients: equality.map { -$0 }, bound: -0.0))
        #expect(c.disjuncts.count == 10 && c.disjuncts.allSatisfy { $0.rowCount == 1 && $0.isStrict == [true] })
        // (> Y_g[0,0] (+ Y_f[0,0] 0.05)) is Y_f[0,0] − Y_g[0,0] < −0.05.
        #expect(c.disjuncts[0].coefficients.row(0) == equality && c.disjuncts[0].bounds == [-0.05])
        // (< Y_g[0,0] (- Y_f[0,0] 0.05)) is Y_g[0,0] − Y_f[0,0] < −0.05.
        #expect(c.disjuncts[1].coefficients.row(0) == equality.map { -$0 } && c.disjuncts[1].bounds == [-0.05])
        // A counterexample: identical inputs, outputs 0.1 apart in element 3.
        let x = lower + lower
        var y = [Double](repeating: 0, count: 10)
        y[8] = 0.1
        #expect(spec.violation(input: x, output: y)! == (0, 6))
        #expect(spec.violation(input: x, output: [Double](repeating: 0, count: 10)) == nil)
    }

    @Test func multipleTensorsScalarsHiddenAndEqualTo() throws {
        let query = try VNNLibParser.parseFile(atPath: Fixture.path("v2_multi_tensor.vnnlib"))
        let main = query.networks[0]
        #expect(main.inputs.map(\.shape) == [[2, 3], []] && main.inputs[1].isInitialized)
        #expect(main.hidden[0].onnxName == "/layer1/Relu_output_0" && main.hidden[0].elementType == .float32)
        #expect(query.networks[1].equivalence == .equalTo("main"))
        let spec = try query.specification()
        #expect(spec.inputCount == 14 && spec.outputCount == 4)
        #expect(spec.networks.map { $0.inputs.map(\.offset) } == [[0, 6], [7, 13]])
        #expect(spec.networks.map { $0.outputs.map(\.offset) } == [[0], [2]])
        #expect(spec.inputName(5) == "A[1,2]" && spec.inputName(6) == "B" && spec.inputName(13) == "B2")
        let c = try #require(spec.cases.first)
        #expect(spec.cases.count == 1)
        #expect(c.inputBox.lower == [0, 0, 0, -1, -1, 2.5, 0.25, 0, 0, 0, -1, -1, 2.5, 0.25])
        var row = [Double](repeating: 0, count: 14)
        row[5] = 1
        row[6] = -2
        #expect(c.inputConstraints == [LinearConstraint(coefficients: row, bound: 3)])
        #expect(c.disjuncts.count == 2)
        #expect(c.disjuncts[0].coefficients == Matrix([[0, -1, 1, 0]]) && c.disjuncts[0].bounds == [-0.5])
        #expect(c.disjuncts[1].coefficients == Matrix([[2, 0, 0, -1], [-2, 0, 0, 1]]))
        #expect(c.disjuncts[1].bounds == [-1, 1])
    }

    @Test func versionAndElementTypes() throws {
        for type in ["float32", "float64", "real", "Real", "float16", "bfloat16", "int8", "uint64"] {
            let text =
                "(vnnlib-version <2.1>)(declare-network n (declare-input X \(type) [1])(declare-output Y \(type) [1]))(assert (<= X[0] 1.0))(assert (>= X[0] 0.0))"
            let query = try VNNLibParser.parse(contents: text)
            #expect(query.version == Query.Version(major: 2, minor: 1))
            #expect(query.networks[0].inputs[0].elementType == ElementType(name: type))
            #expect(try query.specification().cases.count == 1)
        }
    }
}
