import Comparison
import Reporting
import Testing
import VNNLib
import Verifier

@testable import Gate

/// A gate given a comparison's decided verdicts (what `sweep --policy` does at each level) takes them instead of
/// verifying again: with a check time limit too short to verify anything, it still passes the proven property and
/// fails the lost one with its counterexample, as a gate with time does; without them, both are undecided.
@Test func aGateTakesTheComparisonsDecidedVerdicts() throws {
    let folder = try PolicyFolder()
    defer { folder.remove() }
    let properties = try [3.5, 2.5].enumerated().map { k, t in
        GatePolicy.Property(path: "p\(k).vnnlib", file: try folder.write("p\(k).vnnlib", PolicyFolder.property(threshold: t)))
    }
    var policy = GatePolicy(file: "policy.yaml", properties: properties, timeout: 1e-9)
    policy.require = .preserved
    var gate = Gate(policy: policy, verification: .init(timeout: 1e-9))
    let specifications = try gate.specifications()
    let f = GateRunTests.f, g = GateRunTests.g
    let blind = try gate.run(original: f, compressed: g, specifications: specifications)
    #expect(blind.checks.map(\.status) == [.undecided, .undecided])

    let compared = properties.map { ComparedProperty(name: $0.path, specification: specifications[$0.path]!) }
    let comparator = Comparator(options: ComparisonOptions(lipschitzMethod: nil, decision: nil))
    let baseline = try comparator.baseline(original: f, properties: compared)
    gate.knownVerdicts = KnownVerdicts(try comparator.compare(g, with: baseline), baseline: baseline)
    let informed = try gate.run(original: f, compressed: g, specifications: specifications)
    #expect(informed.checks.map(\.status) == [.passed, .failed])
    #expect(informed.checks[1].details["original"] == "proven" && informed.checks[1].message?.hasPrefix("lost") == true)
    let input = try #require(informed.checks[1].details["counterexample"].map(GateRunTests.parse))
    #expect(specifications["p1.vnnlib"]!.violation(input: input, output: g.network.evaluate(input)) != nil)
}
