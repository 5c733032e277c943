import Comparison
import Differential
import Network
import Tensor
import Testing
import VNNLib
import Verifier

/// Small networks whose comparison is known by hand.
enum Pairs {
    /// `x ↦ [x, c]` on one input.
    static func lineAndConstant(_ c: Double, slope: Double = 1) throws -> Network {
        try Network(inputShape: [1, 1], layers: [.dense(Dense(weights: Matrix([[slope], [0]]), bias: [0, c]))])
    }

    /// A 2-2-2 ReLU network with an output bias shift `shift` on output 0.
    static func reluNet(shift: Double = 0) throws -> Network {
        try Network(inputShape: [1, 2], layers: [
            .dense(Dense(weights: Matrix([[1, -1], [0.5, 1]]), bias: [0.25, -0.5])), .relu,
            .dense(Dense(weights: Matrix([[1, 2], [-1, 0.5]]), bias: [shift, 0])),
        ])
    }

    /// A VNN-LIB 1 property over the box `bounds`, violated when `violation` (an assertion body) holds.
    static func property(_ bounds: [(Double, Double)], outputs: Int, violation: String) throws -> ComparedProperty {
        var lines = bounds.indices.map { "(declare-const X_\($0) Real)" } + (0..<outputs).map { "(declare-const Y_\($0) Real)" }
        for (i, (lo, hi)) in bounds.enumerated() { lines += ["(assert (>= X_\(i) \(lo)))", "(assert (<= X_\(i) \(hi)))"] }
        lines.append("(assert \(violation))")
        let spec = try VNNLibParser.parse(contents: lines.joined(separator: "\n")).specification()
        return ComparedProperty(name: "p", specification: spec)
    }

    static var quickOptions: ComparisonOptions {
        ComparisonOptions(verification: VerificationOptions(timeout: 20), lipschitzMethod: nil,
                          difference: DifferenceBudget(maxLeaves: 3, timeLimit: 5),
                          decisionTimeout: 20)
    }
}

@Suite struct ComparatorTests {
    @Test func preservationFollowsTheTwoVerdicts() {
        let cex = Counterexample(input: [0], output: [0], outputFloat32: [0], caseIndex: 0, disjunctIndex: 0, margin: 0)
        #expect(Preservation(original: .proven, compressed: .proven) == .preserved)
        #expect(Preservation(original: .proven, compressed: .violated(cex)) == .lost)
        #expect(Preservation(original: .violated(cex), compressed: .proven) == .gained)
        #expect(Preservation(original: .violated(cex), compressed: .violated(cex)) == .violatedInBoth)
        #expect(Preservation(original: .proven, compressed: .timeout) == .undecided)
        #expect(Preservation(original: .unknown(reason: "x"), compressed: .proven) == .undecided)
    }

    /// `f(x) = x`, `g(x) = x + 1` on `[0, 1]`; the property "y ≤ 1.5" holds on f and fails on g.
    @Test func aLostPropertyCarriesTheCompressedCounterexample() throws {
        let f = try Pairs.lineAndConstant(0), g = try Network(inputShape: [1, 1], layers: [
            .dense(Dense(weights: Matrix([[1], [0]]), bias: [1, 0])),
        ])
        let p = try Pairs.property([(0.0, 1.0)], outputs: 2, violation: "(>= Y_0 1.5)")
        let c = try Comparator(options: Pairs.quickOptions).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [p])
        let result = try #require(c.properties.first)
        #expect(result.preservation == .lost)
        let cex = try #require(result.lostCounterexample)
        #expect(g.evaluate(cex.input)[0] >= 1.5 && (0...1).contains(cex.input[0]))
        // |g − f| = 1 on output 0 exactly, 0 on output 1 (one affine layer: difference propagation is exact).
        let d = try #require(result.differences.first)
        #expect(d.certified == [1, 0] && d.method == .differencePropagation)
        #expect(d.attacked == [1, 0])
        #expect(c.counts[.lost] == 1 && c.lost.count == 1)
    }

    /// `g = f`: preserved, a zero difference, and the same decision on a box where f's decision is constant.
    @Test func identicalNetworksArePreservedWithZeroDifference() throws {
        let f = try Pairs.reluNet()
        let p = try Pairs.property([(0.5, 1.0), (0.0, 0.25)], outputs: 2, violation: "(<= Y_0 Y_1)")
        let c = try Comparator(options: Pairs.quickOptions).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(f), properties: [p])
        let result = try #require(c.properties.first)
        #expect(result.preservation == .preserved)
        #expect(result.differences.first?.certified == [0, 0])
        #expect(result.decisions == [.proved])
    }

    /// An output-bias shift `b`: the certified bound is `|b|` on that output and the attack reaches it.
    @Test func anOutputBiasShiftIsBoundedByItsSize() throws {
        let f = try Pairs.reluNet(), g = try Pairs.reluNet(shift: -0.375)
        let p = try Pairs.property([(-1.0, 1.0), (-1.0, 1.0)], outputs: 2, violation: "(>= Y_0 100.0)")
        let c = try Comparator(options: Pairs.quickOptions).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [p])
        let d = try #require(c.properties.first?.differences.first)
        #expect(d.certified == [0.375, 0])
        #expect(d.attacked == [0.375, 0])
        #expect(c.properties.first?.preservation == .preserved)
    }

    /// `f = [x, 0.5]`, `g = [x, 0.7]` on `[0, 1]`: the argmax differs for x in (0.5, 0.7); under argmin too.
    @Test(arguments: [DecisionRule.argmax, .argmin])
    func aShiftedDecisionBoundaryIsRefuted(rule: DecisionRule) throws {
        let f = try Pairs.lineAndConstant(0.5), g = try Pairs.lineAndConstant(0.7)
        let p = try Pairs.property([(0.0, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        var options = Pairs.quickOptions
        options.decision = rule
        let c = try Comparator(options: options).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [p])
        let decision = try #require(c.properties.first?.decisions.first)
        guard case let .refuted(input, a, b) = decision else {
            Issue.record("expected a refutation, got \(decision)")
            return
        }
        #expect(input[0] >= 0.5 && input[0] <= 0.7)
        #expect(rule.rawValue == "argmax" ? (a, b) == (0, 1) : (a, b) == (1, 0))
    }

    /// The same boundary on both: decisions agree on a box away from it.
    @Test func equalDecisionsAwayFromTheBoundaryAreProved() throws {
        let f = try Pairs.lineAndConstant(0.5), g = try Pairs.lineAndConstant(0.55, slope: 1.1)
        let p = try Pairs.property([(0.75, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        let c = try Comparator(options: Pairs.quickOptions).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [p])
        #expect(c.properties.first?.decisions == [.proved])
    }

    @Test func differentInterfacesAreRefused() throws {
        let f = try Pairs.reluNet(), g = try Pairs.lineAndConstant(0)
        #expect(throws: ComparisonError.self) {
            try Comparator(options: Pairs.quickOptions).compare(
                original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [])
        }
    }

    /// `g = 2 f` for a linear `f`: the Lipschitz ratio is 2 (both bounds certified, within the solver's gap).
    @Test func lipschitzRatioOfAScaledNetwork() throws {
        let f = try Network(inputShape: [1, 2], layers: [
            .dense(Dense(weights: Matrix([[1, 2], [0.5, -1]]), bias: [0, 0])), .relu,
            .dense(Dense(weights: Matrix([[1, -1]]), bias: [0])),
        ])
        let g = try Network(inputShape: [1, 2], layers: [
            .dense(Dense(weights: Matrix([[1, 2], [0.5, -1]]), bias: [0, 0])), .relu,
            .dense(Dense(weights: Matrix([[2, -2]]), bias: [0])),
        ])
        var options = Pairs.quickOptions
        options.lipschitzMethod = .lipsdpNeuron
        let c = try Comparator(options: options).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [])
        let ratio = try #require(c.lipschitz?.ratio)
        #expect(abs(ratio - 2) < 0.05)
    }
}
