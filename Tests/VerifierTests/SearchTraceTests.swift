import Bounds
import Foundation
import Network
import ONNX
import Tensor
import Testing
import VNNLib
@testable import Verifier

/// The search tree as data (issue 10): the trace, and resuming from its leaves.
struct SearchTraceTests {
    static let properties = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("properties")

    static func acas(_ property: String) throws -> VerificationProblem {
        let network = try NetworkLoader.load(
            path: properties.appendingPathComponent("acasxu/ACASXU_run2a_1_1_batch_2000.onnx").path)
        let spec = try Specification(contentsOfFile: properties.appendingPathComponent("acasxu/\(property)").path)
        return try VerificationProblem(network: network, specification: spec)
    }

    static func tracedRun(_ problem: VerificationProblem, mode: SplitMode = .auto) throws -> VerificationResult {
        let options = VerificationOptions(
            timeout: 60, search: SearchOptions(mode: mode, workers: 1, recordsTrace: true))
        return try Verifier(options: options).verify(problem)
    }

    @Test func everyNodeIsRecordedOnceWithItsParent() throws {
        let result = try Self.tracedRun(Self.acas("prop_1.vnnlib"))
        #expect(result.verdict == .proven)
        let trace = try #require(result.trace)
        #expect(trace.nodes.count == result.statistics.nodes)
        let ids = Set(trace.nodes.map(\.id))
        #expect(ids.count == trace.nodes.count)
        for node in trace.nodes where node.parent != nil {
            #expect(ids.contains(node.parent!), "node \(node.id)'s parent is in the trace")
            #expect(node.decision != nil && node.boundBefore != nil)
        }
        let splits = trace.nodes.filter { $0.ending == .split }.count
        #expect(trace.leaves.count == trace.nodes.count - splits)
    }

    @Test func jsonLinesRoundTrip() throws {
        let trace = try #require(try Self.tracedRun(Self.acas("prop_1.vnnlib")).trace)
        let again = try SearchTrace(jsonLines: try trace.jsonLines())
        #expect(again.nodes == trace.nodes)
        #expect(throws: TraceError.self) { try SearchTrace(jsonLines: "{\"schema\":\"other\"}\n") }
        let future = try trace.jsonLines().replacingOccurrences(of: "\"version\":1", with: "\"version\":99")
        #expect(throws: TraceError.self) { try SearchTrace(jsonLines: future) }
    }

    /// Input splitting on ACAS Xu 1_1 property 1, and ReLU splitting on the random networks of the differential
    /// test (those proven with at least five nodes).
    @Test func aTracesLeavesReproveTheInstance() throws {
        var problems = [(try Self.acas("prop_1.vnnlib"), SplitMode.auto)]
        for seed in UInt64(1)...120 { problems.append((try DifferentialTests.instance(seed: seed).problem, .reluSplit)) }
        var reproved = 0
        for (problem, mode) in problems {
            let first = try Self.tracedRun(problem, mode: mode)
            guard first.verdict == .proven, first.statistics.nodes >= 5 else { continue }
            let leaves = try #require(first.trace).leaves
            #expect(try Verifier.resumedRoots(problem, leaves).nodes.count == leaves.count, "the leaves cover the problem")
            let again = try Verifier(options: VerificationOptions(timeout: 60, search: SearchOptions(mode: mode, workers: 1)))
                .verify(problem, startingFrom: leaves)
            #expect(again.verdict == .proven)
            #expect(again.statistics.nodes <= first.statistics.nodes)
            reproved += 1
        }
        #expect(reproved >= 4)
    }

    @Test func droppingALeafNeverYieldsAnUncoveredProof() throws {
        let problem = try Self.acas("prop_1.vnnlib")
        let leaves = try #require(try Self.tracedRun(problem).trace).leaves
        #expect(leaves.count > 2)
        for drop in [0, leaves.count / 2, leaves.count - 1] {
            var partial = leaves
            partial.remove(at: drop)
            // The case is no longer covered: its root joins the search.
            let roots = try Verifier.resumedRoots(problem, partial).nodes
            #expect(roots.count == partial.count + 1)
            #expect(roots.last?.box == problem.cases[0].box && roots.last?.splits.isEmpty == true)
        }
    }

    @Test func coverageNeedsBothPhasesAndBothHalves() {
        let root = Box(lower: [0, 0], upper: [1, 1])
        let (left, right) = root.bisected(along: 0)
        let (ll, lr) = left.bisected(along: 1)
        let n = NeuronID(layer: 1, neuron: 3)
        let on = SplitSet([ReLUSplit(n, isActive: true)]), off = SplitSet([ReLUSplit(n, isActive: false)])
        #expect(LeafCover.covers([(ll, SplitSet()), (lr, on), (lr, off), (right, SplitSet())], root: root))
        #expect(!LeafCover.covers([(ll, SplitSet()), (lr, on), (right, SplitSet())], root: root))
        #expect(!LeafCover.covers([(ll, SplitSet()), (right, SplitSet())], root: root))
        // Leaves given in any order merge.
        #expect(LeafCover.covers([(right, SplitSet()), (lr, off), (ll, SplitSet()), (lr, on)], root: root))
        // A tampered box (shifted by an ulp) leaves a gap.
        var shifted = right
        shifted.lower[0] = shifted.lower[0].nextUp
        #expect(!LeafCover.covers([(left, SplitSet()), (shifted, SplitSet())], root: root))
    }

    @Test func leavesThatDoNotBelongToTheProblemAreRefused() throws {
        let problem = try Self.acas("prop_1.vnnlib")
        #expect(throws: VerifierError.self) { try Verifier.resumedRoots(problem, [SearchLeaf(caseIndex: 5)]) }
        var outside = problem.cases[0].box
        outside.upper[0] += 1
        #expect(throws: VerifierError.self) {
            try Verifier.resumedRoots(problem, [SearchLeaf(caseIndex: 0, box: outside)])
        }
        let notReLU = SplitSet([ReLUSplit(layer: 0, neuron: 0, isActive: true)])
        #expect(throws: VerifierError.self) {
            try Verifier.resumedRoots(problem, [SearchLeaf(caseIndex: 0, splits: notReLU)])
        }
    }
}
