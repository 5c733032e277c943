import Foundation
import Tensor
import Testing

@testable import VNNLib

@Suite struct Version1Tests {
    @Test func acasxuProp1BoxAndOutputRow() throws {
        let spec = try Fixture.specification("acasxu_prop_1.vnnlib")
        #expect(spec.version == .v1)
        #expect(spec.inputCount == 5 && spec.outputCount == 5)
        #expect(spec.cases.count == 1)
        let box = spec.cases[0].inputBox
        #expect(box.lower == [0.6, -0.5, -0.5, 0.45, -0.5])
        #expect(box.upper == [0.679857769, 0.5, 0.5, 0.5, -0.45])
        #expect(spec.cases[0].inputConstraints.isEmpty)
        let polytope = try #require(spec.cases[0].disjuncts.first)
        #expect(spec.cases[0].disjuncts.count == 1)
        #expect(polytope.coefficients == Matrix([[-1, 0, 0, 0, 0]]))
        #expect(polytope.bounds == [-3.991125645861615])
        #expect(polytope.isStrict == [false])
        let binding = spec.networks[0]
        #expect(binding.name == "network")
        #expect(binding.inputs[0].declaration.shape == [5] && binding.inputs[0].declaration.elementType == .real)
        #expect(binding.outputs[0].offset == 0)
    }

    @Test func acasxuProp2ConjunctionOfOutputRows() throws {
        let spec = try Fixture.specification("acasxu_prop_2.vnnlib")
        #expect(spec.cases.count == 1 && spec.cases[0].disjuncts.count == 1)
        let polytope = spec.cases[0].disjuncts[0]
        #expect(polytope.rowCount == 4)
        // (<= Y_1 Y_0) is Y_1 − Y_0 ≤ 0.
        #expect(polytope.coefficients.row(0) == [-1, 1, 0, 0, 0])
        #expect(polytope.coefficients.row(3) == [-1, 0, 0, 0, 1])
        #expect(polytope.bounds == [0, 0, 0, 0])
    }

    @Test func acasxuProp6IsTwoCasesTimesFourPolytopes() throws {
        let spec = try Fixture.specification("acasxu_prop_6.vnnlib")
        #expect(spec.cases.count == 2)
        #expect(spec.cases.map(\.disjuncts.count) == [4, 4])
        #expect(spec.cases[0].inputBox.upper[1] == 0.499999896 && spec.cases[0].inputBox.lower[1] == 0.11140846)
        #expect(spec.cases[1].inputBox.upper[1] == -0.11140846 && spec.cases[1].inputBox.lower[1] == -0.499999896)
        for c in spec.cases {
            for (k, polytope) in c.disjuncts.enumerated() {
                var row = [Double](repeating: 0, count: 5)
                row[0] = -1
                row[k + 1] = 1
                #expect(polytope.rowCount == 1 && polytope.coefficients.row(0) == row && polytope.bounds == [0])
            }
        }
    }

    @Test func acasxuProps7And8DisjunctShapes() throws {
        let p7 = try Fixture.specification("acasxu_prop_7.vnnlib")
        #expect(p7.cases.count == 1 && p7.cases[0].disjuncts.map(\.rowCount) == [3, 3])
        #expect(p7.cases[0].disjuncts[1].coefficients.row(2) == [0, 0, -1, 0, 1])
        let p8 = try Fixture.specification("acasxu_prop_8.vnnlib")
        #expect(p8.cases.count == 1 && p8.cases[0].disjuncts.map(\.rowCount) == [2, 2, 2])
        #expect(p8.cases[0].inputBox.lower[4] == 0.0)
    }

    @Test(arguments: [
        ("mnistfc_prop_0_0.03.vnnlib", 8, 0.029999999329447746), ("mnistfc_prop_1_0.05.vnnlib", 1, 0.05000000074505806),
    ])
    func mnistRobustness(name: String, label: Int, epsilon: Double) throws {
        let spec = try Fixture.specification(name)
        #expect(spec.inputCount == 784 && spec.outputCount == 10)
        #expect(spec.cases.count == 1)
        let c = spec.cases[0]
        #expect(c.inputBox.lower.allSatisfy { $0 >= 0 } && c.inputBox.upper.allSatisfy { $0 <= 1 })
        #expect(c.inputBox.lower[0] == 0 && c.inputBox.upper[0] == epsilon)
        #expect(c.disjuncts.count == 9 && c.disjuncts.allSatisfy { $0.rowCount == 1 })
        // (>= Y_j Y_label) is Y_label − Y_j ≤ 0.
        let others = (0..<10).filter { $0 != label }
        for (k, j) in others.enumerated() {
            var row = [Double](repeating: 0, count: 10)
            row[label] = 1
            row[j] = -1
            #expect(c.disjuncts[k].coefficients.row(0) == row)
        }
    }

    @Test func everyFixtureParsesAndIsBounded() throws {
        let expected: [String: (cases: Int, disjuncts: [Int])] = [
            "acasxu_prop_3.vnnlib": (1, [1]), "acasxu_prop_5.vnnlib": (1, [4]), "acasxu_prop_9.vnnlib": (1, [4]),
            "acasxu_prop_10.vnnlib": (1, [4]), "test_nano.vnnlib": (1, [1]), "test_prop.vnnlib": (1, [1]),
            "test_small.vnnlib": (1, [1]), "test_tiny.vnnlib": (1, [1]),
        ]
        for name in Fixture.allNames {
            let spec = try Fixture.specification(name)
            for c in spec.cases {
                #expect(c.inputBox.lower.allSatisfy(\.isFinite) && c.inputBox.upper.allSatisfy(\.isFinite))
                #expect(c.inputBox.isValid)
            }
            if let (cases, disjuncts) = expected[name] {
                #expect(spec.cases.count == cases, "\(name)")
                #expect(spec.cases[0].disjuncts.count == disjuncts[0], "\(name)")
            }
        }
    }

    @Test func linearTermsAndDeclareFun() throws {
        let text = """
            (declare-fun X_0 () Real)
            (declare-fun X_1 () Real)
            (declare-const Y_0 Real)
            (declare-const Y_1 Real)
            (assert (>= (* 0.5 X_0) -1))
            (assert (>= (* -2 X_0) -4))
            (assert (<= X_1 1)) (assert (>= X_1 -1))
            (assert (<= (- (* 3 X_0) X_1 1) 2))
            (assert (or (and (> (+ Y_0 (* 2 Y_1) 1) (- 4)) (= Y_1 (* 2 (+ 1 Y_0)))) (< Y_0 (- Y_1))))
            """
        let spec = try VNNLibParser.parse(contents: text).specification()
        #expect(spec.cases.count == 1)
        let c = spec.cases[0]
        // (* 0.5 X_0) ≥ −1 is X_0 ≥ −2; (* -2 X_0) ≥ −4 is X_0 ≤ 2.
        #expect(c.inputBox.lower == [-2, -1] && c.inputBox.upper == [2, 1])
        #expect(c.inputConstraints == [LinearConstraint(coefficients: [3, -1], bound: 3)])
        #expect(c.disjuncts.count == 2)
        // −(Y_0 + 2·Y_1 + 1 + 4) < 0  ⇔  −Y_0 − 2·Y_1 < 5 (strict); Y_1 − 2 − 2·Y_0 = 0 gives two rows.
        #expect(c.disjuncts[0].coefficients == Matrix([[-1, -2], [-2, 1], [2, -1]]))
        #expect(c.disjuncts[0].bounds == [5, 2, -2])
        #expect(c.disjuncts[0].isStrict == [true, false, false])
        #expect(c.disjuncts[1].coefficients == Matrix([[1, 1]]) && c.disjuncts[1].bounds == [0])
        #expect(c.disjuncts[1].isStrict == [true])
    }

    @Test func concreteViolationChecks() throws {
        let spec = try Fixture.specification("acasxu_prop_6.vnnlib")
        let inside: [Double] = [0.5, -0.3, -0.4995, 0, 0]
        #expect(spec.cases[1].contains(input: inside) && !spec.cases[0].contains(input: inside))
        // Y_3 is the minimum, so only disjunct 2 (Y_3 ≤ Y_0) holds.
        let y: [Double] = [1, 2, 3, 0.5, 4]
        #expect(spec.violation(input: inside, output: y)! == (case: 1, disjunct: 2))
        #expect(spec.violation(input: inside, output: [0, 1, 1, 1, 1]) == nil)
        #expect(spec.violation(input: [0.9, 0, 0, 0, 0], output: y) == nil)
        let f = spec.violation(input: inside.map(Float.init), output: y.map(Float.init))
        #expect(f?.case == 1 && f?.disjunct == 2)
        #expect(spec.violation(input: [0.70043495, -0.3, -0.4995, 0, 0], output: y, inputTolerance: 1e-4) != nil)
        // Strict rows use <.
        let strict = OutputPolytope(coefficients: Matrix([[1, -1]]), bounds: [0], isStrict: [true])
        #expect(!strict.isSatisfied(by: [1.0, 1.0]) && strict.isSatisfied(by: [Float(0.5), Float(1)]))
        #expect(OutputPolytope(coefficients: Matrix([[1, -1]]), bounds: [0]).isSatisfied(by: [1.0, 1.0]))
    }

    @Test func bareOrWithoutAndMatchesTheDNFForm() throws {
        // The 2021 prop_6 wrote the output part as (or (<= Y_1 Y_0) …) without 'and'.
        let modern = try Fixture.text("acasxu_prop_6.vnnlib")
        var legacy = modern
        for k in 1...4 { legacy = legacy.replacingOccurrences(of: "(and (<= Y_\(k) Y_0))", with: "(<= Y_\(k) Y_0)") }
        #expect(legacy != modern)
        let a = try VNNLibParser.parse(contents: modern).specification()
        let b = try VNNLibParser.parse(contents: legacy).specification()
        #expect(a == b)
    }

    @Test func queryKeepsTheSyntaxTree() throws {
        let query = try VNNLibParser.parseFile(atPath: Fixture.path("acasxu_prop_7.vnnlib"))
        #expect(query.version == .v1 && query.fileName.hasSuffix("acasxu_prop_7.vnnlib"))
        #expect(query.assertions.count == 11)
        guard case .or(let disjuncts) = query.assertions[10].expression, case .and(let rows) = disjuncts[0],
            case .comparison(let first) = rows[0]
        else {
            Issue.record("unexpected tree \(query.assertions[10].expression)")
            return
        }
        #expect(disjuncts.count == 2 && rows.count == 3)
        let y3 = VariableReference(network: 0, role: .output, declaration: 0, element: 3)
        #expect(first.op == .lessEqual && first.lhs == LinearExpression(variable: y3))
        #expect(query.name(of: y3) == "Y_3")
    }
}
