import Comparison
import Differential
import Network
import Reporting
import Tensor
import Testing
import TestSupport
import VNNLib

@testable import Gate

/// The gate on two tiny networks over `[0, 1]²`: `f(x) = x₀ + x₁` and `g(x) = 1.5 (x₀ + x₁) + 0.3`, so that
/// `g − f ∈ [0.3, 1.3]`, `L(f) = √2`, `L(g) = 1.5 √2`, and `Y₀ ≥ t` holds on `f` for `t > 2`, on `g` for `t > 3.3`.
struct GateRunTests {
    static func network(scale: Double, shift: Double) throws -> Network {
        try Network(inputShape: [1, 2], layers: [
            .dense(Dense(weights: Matrix([[1, 0], [0, 1]]), bias: [0, 0])), .relu,
            .dense(Dense(weights: Matrix([[scale, scale]]), bias: [shift])),
        ])
    }

    static let f = ComparedNetwork(try! network(scale: 1, shift: 0))
    static let g = ComparedNetwork(try! network(scale: 1.5, shift: 0.3))

    /// Runs `policy` (its properties written to a temporary folder, one per threshold).
    static func run(
        thresholds: [Double], shard: Shard? = nil, networks: (ComparedNetwork, ComparedNetwork) = (f, g),
        _ configure: (inout GatePolicy) -> Void = { _ in }
    ) throws -> (report: RunReport, specifications: [String: Specification]) {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        let properties = try thresholds.enumerated().map { k, t in
            GatePolicy.Property(path: "p\(k).vnnlib", file: try folder.write("p\(k).vnnlib", PolicyFolder.property(threshold: t)))
        }
        var policy = GatePolicy(file: "policy.yaml", properties: properties, timeout: 20)
        configure(&policy)
        let gate = Gate(policy: policy, verification: .init(timeout: 20))
        let specifications = try gate.specifications()
        let report = try gate.run(
            original: networks.0, compressed: networks.1, specifications: specifications, shard: shard)
        return (report, specifications)
    }

    @Test func aProvenPropertyPassesAndAViolatedOneFailsWithAConfirmedCounterexample() throws {
        let (report, specifications) = try Self.run(thresholds: [3.5, 2.5])
        #expect(report.command == "gate" && report.totalChecks == 2)
        #expect(report.checks.map(\.status) == [.passed, .failed] && report.outcome == .failed)
        let failed = report.checks[1]
        #expect(failed.details["verdict"] == "violated" && failed.message?.contains("counterexample x = ") == true)
        let input = try #require(failed.details["counterexample"].map(Self.parse))
        let output = Self.g.network.evaluate(input)
        #expect(specifications["p1.vnnlib"]!.violation(input: input, output: output) != nil)
        #expect(try #require(failed.details["output"].map(Self.parse)) == output)
    }

    @Test func preservedSkipsWhatTheOriginalViolatesAndFailsWhatItLost() throws {
        let (report, _) = try Self.run(thresholds: [1.9, 2.5]) { $0.require = .preserved }
        #expect(report.checks.map(\.status) == [.skipped, .failed])
        #expect(report.checks[0].details["original"] == "violated")
        #expect(report.checks[1].details["original"] == "proven" && report.checks[1].message?.hasPrefix("lost") == true)
    }

    @Test func differenceWithinAndBeyondTheLimit() throws {
        let within = try Self.run(thresholds: [3.5]) { $0.difference = GatePolicy.Difference(max: 2, timeout: 5) }
        let passed = within.report.checks[1]
        #expect(passed.group == "difference" && passed.status == .passed, "\(passed)")
        #expect(Double(passed.details["bound"]!)! >= 1.3 - 1e-9)

        let beyond = try Self.run(thresholds: [3.5]) { $0.difference = GatePolicy.Difference(max: 1, timeout: 5) }
        let failed = beyond.report.checks[1]
        #expect(failed.status == .failed, "\(failed)")
        let x = try #require(failed.details["counterexample"].map(Self.parse))
        #expect(abs(Self.g.network.evaluate(x)[0] - Self.f.network.evaluate(x)[0]) > 1)
    }

    /// A limit between the largest difference the attack finds and the bound the refinement stops at (it stops at
    /// twice the attacked value): the gate proves the limit by branch and bound and reports the limit as the bound.
    @Test(arguments: [UInt64(1), 2, 3])
    func aLimitBelowTheRefinedBoundIsProvedByBranchAndBound(seed: UInt64) throws {
        let (f, g) = try RandomNetworks.noisyPair([2, 12, 12, 1], seed: seed)
        let box = Box(lower: [0, 0], upper: [1, 1])
        let refined = try DifferenceBounds.compute(
            original: f, compressed: g, over: box,
            budget: DifferenceBudget(maxLeaves: 100_000, timeLimit: 10, targetRatio: 2, attack: DifferenceAttack()))
        let attacked = try #require(refined.attack).worst
        let limit = 1.25 * attacked
        try #require(refined.certifiedWorst > limit, "seed \(seed): the refinement alone already meets the limit")
        let run = try Self.run(thresholds: [100], networks: (ComparedNetwork(f), ComparedNetwork(g))) {
            $0.difference = GatePolicy.Difference(max: limit, timeout: 20)
        }
        let check = run.report.checks[1]
        #expect(check.group == "difference" && check.status == .passed, "seed \(seed): \(check)")
        #expect(check.details["bound"] == Gate.format(limit))
    }

    @Test func lipschitzWithinAndBeyondTheRatio() throws {
        let within = try Self.run(thresholds: []) { $0.lipschitz = GatePolicy.Lipschitz(maxRatio: 2, method: .naive) }
        #expect(within.report.checks.map(\.status) == [.passed])
        #expect(abs(Double(within.report.checks[0].details["ratio"]!)! - 1.5) < 1e-3)

        let beyond = try Self.run(thresholds: []) { $0.lipschitz = GatePolicy.Lipschitz(maxRatio: 1.2, method: .naive) }
        let failed = beyond.report.checks[0]
        #expect(failed.status == .failed, "\(failed)")
        let x = try #require(failed.details["x"].map(Self.parse)), y = try #require(failed.details["x-prime"].map(Self.parse))
        let change = abs(Self.g.network.evaluate(x)[0] - Self.g.network.evaluate(y)[0])
        let distance = zip(x, y).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        #expect(change / distance > 1.2 * 2.0.squareRoot())
    }

    @Test func aSpentBudgetLeavesChecksUndecidedOrWarning() throws {
        let fail = try Self.run(thresholds: [3.5, 2.5]) { $0.budget = 1e-9 }
        #expect(fail.report.checks.map(\.status) == [.undecided, .undecided] && fail.report.outcome == .undecided)
        #expect(fail.report.checks[0].details["reason"] == "budget")
        let warn = try Self.run(thresholds: [3.5]) { $0.budget = 1e-9; $0.undecided = .warn }
        #expect(warn.report.checks.map(\.status) == [.warning] && warn.report.outcome == .passed)
    }

    @Test func aShardRunsItsChecksOnly() throws {
        let (report, _) = try Self.run(thresholds: [3.5, 2.5, 3.6], shard: try Shard(index: 2, count: 2))
        #expect(report.totalChecks == 3 && report.checks.map(\.index) == [1] && report.shard?.description == "2/2")
    }

    @Test func aPropertyOfAnotherShapeIsRefused() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        let file = try folder.write("wide.vnnlib", """
            (declare-const X_0 Real)
            (declare-const Y_0 Real)
            (declare-const Y_1 Real)
            (assert (>= X_0 0.0))
            (assert (<= X_0 1.0))
            (assert (>= Y_0 Y_1))
            """)
        let gate = Gate(policy: GatePolicy(file: "policy.yaml", properties: [.init(path: "wide.vnnlib", file: file)]))
        #expect(throws: GateError.self) {
            try gate.run(original: Self.f, compressed: Self.g, specifications: try gate.specifications())
        }
    }

    /// `[0.5, -1.0]` → `[0.5, -1.0]`.
    static func parse(_ text: String) -> [Double] {
        text.trimmingCharacters(in: ["[", "]"]).split(separator: ",").compactMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
    }
}
