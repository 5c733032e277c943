import Bounds
import Foundation
import Network
import ONNX
import Tensor
import Testing
import VNNLib
@testable import Verifier

/// Proof reuse (`verify --reuse`, after IVAN): a trace of one network starts the search of another network of
/// the same structure; whatever the trace holds, the verdict must be the one a search from scratch gives.
struct ProofReuseTests {
    static let properties = SearchTraceTests.properties

    static func problem(_ net: String, _ prop: String) throws -> VerificationProblem {
        let network = try NetworkLoader.load(path: properties.appendingPathComponent(net).path)
        let spec = try Specification(contentsOfFile: properties.appendingPathComponent(prop).path)
        return try VerificationProblem(network: network, specification: spec)
    }

    static func verifier(_ mode: SplitMode = .auto, timeout: Double = 60) -> Verifier {
        Verifier(options: VerificationOptions(
            timeout: timeout, search: SearchOptions(mode: mode, workers: 1, recordsTrace: true)))
    }

    /// The verdict without its counterexample or reason.
    static func kind(_ verdict: Verdict) -> String {
        switch verdict {
        case .proven: "proven"
        case .violated: "violated"
        case .timeout: "timeout"
        case .unknown: "unknown"
        }
    }

    /// `network` with every dense layer's weights mapped by `transform` (the layer's weights, in row-major order).
    static func mapped(_ network: Network, _ transform: ([Double]) -> [Double]) throws -> Network {
        let layers = network.layers.map { layer -> Layer in
            guard case .dense(let d) = layer else { return layer }
            let w = Matrix(rows: d.weights.rows, columns: d.weights.columns, storage: transform(d.weights.storage))
            return .dense(Dense(weights: w, bias: d.bias))
        }
        return try Network(inputShape: network.inputShape, layers: layers, inputClamp: network.inputClamp)
    }

    /// Magnitude pruning: the `fraction` of each dense layer's weights of smallest magnitude set to zero.
    static func pruned(_ network: Network, _ fraction: Double) throws -> Network {
        try mapped(network) { w in
            let cut = w.map(abs).sorted()[Swift.min(w.count - 1, Int(Double(w.count) * fraction))]
            return w.map { abs($0) < cut ? 0 : $0 }
        }
    }

    /// Symmetric uniform quantisation of each dense layer's weights to `bits` bits.
    static func quantized(_ network: Network, bits: Int) throws -> Network {
        try mapped(network) { w in
            let scale = (w.map(abs).max() ?? 0) / Double((1 << (bits - 1)) - 1)
            return scale > 0 ? w.map { ($0 / scale).rounded() * scale } : w
        }
    }

    static func on(_ problem: VerificationProblem, _ network: Network) -> VerificationProblem {
        var copy = problem
        copy.network = network
        return copy
    }

    /// Scratch and reuse on `copy` from `trace`; both verdicts when both are decided.
    static func compare(_ copy: VerificationProblem, _ trace: SearchTrace, mode: SplitMode = .auto) throws
        -> (scratch: VerificationResult, reuse: VerificationResult)
    {
        let scratch = try verifier(mode).verify(copy)
        let reuse = try verifier(mode).verify(copy, reusing: trace)
        return (scratch, reuse)
    }

    static func decided(_ v: Verdict) -> Bool { kind(v) == "proven" || kind(v) == "violated" }

    @Test func reuseOnPrunedAndQuantisedCopiesAgreesWithScratch() throws {
        var compared = 0
        for prop in ["prop_1.vnnlib", "prop_4.vnnlib"] {
            let original = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/\(prop)")
            let trace = try #require(try Self.verifier().verify(original).trace)
            for copy in [try Self.pruned(original.network, 0.1), try Self.quantized(original.network, bits: 8)] {
                let (scratch, reuse) = try Self.compare(Self.on(original, copy), trace)
                #expect(Self.kind(scratch.verdict) == Self.kind(reuse.verdict), "\(prop)")
                compared += 1
            }
        }
        for seed in UInt64(1)...40 {
            let original = try DifferentialTests.instance(seed: seed).problem
            let first = try Self.verifier(.reluSplit).verify(original)
            guard Self.decided(first.verdict), let trace = first.trace else { continue }
            let (scratch, reuse) = try Self.compare(
                Self.on(original, try Self.pruned(original.network, 0.1)), trace, mode: .reluSplit)
            guard Self.decided(scratch.verdict), Self.decided(reuse.verdict) else { continue }
            #expect(Self.kind(scratch.verdict) == Self.kind(reuse.verdict), "seed \(seed)")
            compared += 1
        }
        #expect(compared >= 30)
    }

    @Test func aSatIsReusedFromItsCounterexample() throws {
        let problem = try Self.problem("test/test_sat.onnx", "test/test_prop.vnnlib")
        let first = try Self.verifier().verify(problem)
        guard case .violated(let cex) = first.verdict else { Issue.record("test_sat is sat"); return }
        let trace = try #require(first.trace)
        #expect(trace.witness?.input == cex.input)
        #expect(trace.outcome == .violated)
        let again = try Self.verifier().verify(problem, reusing: trace)
        guard case .violated(let confirmed) = again.verdict else { Issue.record("the witness is confirmed"); return }
        #expect(confirmed.input == cex.input)
        #expect(again.statistics.nodes == 0 && again.statistics.attacks == 0, "no search, no attack")
        // Random instances: a sat reused on a pruned copy agrees with scratch.
        var sats = 0
        for seed in UInt64(1)...40 {
            let original = try DifferentialTests.instance(seed: seed).problem
            let first = try Self.verifier(.reluSplit).verify(original)
            guard case .violated = first.verdict, let trace = first.trace else { continue }
            let (scratch, reuse) = try Self.compare(
                Self.on(original, try Self.pruned(original.network, 0.1)), trace, mode: .reluSplit)
            #expect(Self.kind(scratch.verdict) == Self.kind(reuse.verdict), "seed \(seed)")
            sats += 1
        }
        #expect(sats >= 5)
    }

    /// Ways of damaging a trace: each must leave the verdict what scratch says.
    static func tampered(_ trace: SearchTrace) -> [(String, SearchTrace)] {
        let leafIndices = trace.nodes.indices.filter { trace.nodes[$0].ending != .split }
        var variants: [(String, SearchTrace)] = []
        func variant(_ name: String, _ change: (inout SearchTrace) -> Void) {
            var t = trace
            change(&t)
            variants.append((name, t))
        }
        for i in [leafIndices.first, leafIndices.last].compactMap({ $0 }) {
            variant("leaf \(i) dropped") { $0.nodes.remove(at: i) }
            variant("leaf \(i)'s box shrunk") { t in
                var box = t.nodes[i].box ?? Box(lower: [], upper: [])
                guard box.dimension > 0 else { return }
                box.upper[0] = box.lower[0] + (box.upper[0] - box.lower[0]) * 0.9
                t.nodes[i].box = box
            }
            variant("leaf \(i)'s first split flipped") { t in
                guard var splits = t.nodes[i].splits, !splits.isEmpty else { return }
                splits[0].isActive.toggle()
                t.nodes[i].splits = splits
            }
            variant("leaf \(i) split on foreign neurons") { t in
                t.nodes[i].splits = (t.nodes[i].splits ?? []) + [
                    ReLUSplit(layer: 999, neuron: 0, isActive: true), ReLUSplit(layer: 1, neuron: 1_000_000, isActive: false),
                ]
            }
        }
        variant("every split flipped") { t in
            for i in t.nodes.indices { t.nodes[i].splits = t.nodes[i].splits?.map { s in
                ReLUSplit(layer: s.layer, neuron: s.neuron, isActive: !s.isActive) } }
        }
        variant("one leaf only") { t in t.nodes = leafIndices.first.map { [t.nodes[$0]] } ?? [] }
        variant("a stranger's witness") { t in
            t.witness = SearchTrace.Witness(caseIndex: 0, disjunctIndex: 0, input: [Double](repeating: 0.5, count: 2))
        }
        return variants
    }

    /// The trace of a proof of `f`, damaged in every way, reused on `g` where the property is violated: never
    /// proven; reused on `f` itself: still the scratch verdict.
    @Test func tamperedOrPartialTracesNeverYieldAWrongProof() throws {
        var checked = 0
        var pairs: [(VerificationProblem, VerificationProblem, SplitMode)] = []
        let unsat = try Self.problem("test/test_unsat.onnx", "test/test_prop.vnnlib")
        let sat = try Self.problem("test/test_sat.onnx", "test/test_prop.vnnlib")
        if unsat.network.layers.count == sat.network.layers.count { pairs.append((unsat, sat, .auto)) }
        for seed in UInt64(1)...80 where pairs.count < 6 {
            let f = try DifferentialTests.instance(seed: seed).problem
            guard f.cases.count == 1, f.cases[0].regions.count == 1, f.cases[0].regions[0].rowCount == 1 else { continue }
            // g: f with its outputs shifted into the region c·y ≤ d at the box's centre.
            let row = f.cases[0].regions[0]
            let y = f.network.evaluate(f.cases[0].box.center)
            let c = (0..<row.coefficients.columns).map { row.coefficients[0, $0] }
            let excess = zip(c, y).reduce(0) { $0 + $1.0 * $1.1 } - row.bounds[0] + 1
            let norm = c.reduce(0) { $0 + $1 * $1 }
            guard case .dense(let last)? = f.network.layers.last, norm > 0 else { continue }
            let shifted = zip(last.bias, c).map { $0 - excess * $1 / norm }
            let g = try Network(
                inputShape: f.network.inputShape,
                layers: f.network.layers.dropLast() + [.dense(Dense(weights: last.weights, bias: shifted))])
            pairs.append((f, Self.on(f, g), .reluSplit))
        }
        for (f, g, mode) in pairs {
            let proof = try Self.verifier(mode).verify(f)
            guard proof.verdict == .proven, let trace = proof.trace else { continue }
            let truth = try Self.verifier(mode).verify(g).verdict
            #expect(Self.kind(truth) == "violated")
            var partialOptions = Self.verifier(mode)
            partialOptions.options.timeout = 0.001
            var variants = Self.tampered(trace)
            if let partial = try partialOptions.verify(f).trace { variants.append(("partial", partial)) }
            for (name, damaged) in variants {
                let onG = try Self.verifier(mode).verify(g, reusing: damaged).verdict
                #expect(onG != .proven, "\(name): g is violated")
                #expect(Self.kind(onG) == Self.kind(truth), "\(name)")
                let onF = try Self.verifier(mode).verify(f, reusing: damaged).verdict
                #expect(onF == .proven, "\(name): f is proven")
            }
            checked += 1
        }
        #expect(checked >= 4)
    }

    /// Reused input-split leaves share their group's hull bounds: each root given bounds lies inside the box they
    /// were computed over, they hold at sampled points of the root's box, and the verdict is scratch's.
    @Test func groupedLeavesShareSoundHullBounds() throws {
        let original = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_4.vnnlib")
        let trace = try #require(try Self.verifier().verify(original).trace)
        let copy = Self.on(original, try Self.pruned(original.network, 0.1))
        let reuse = try ProofReuse(trace: trace, problem: copy)
        let resumed = try Verifier.resumedRoots(
            copy, reuse.leaves, plans: reuse.starts.map(\.plan), groups: reuse.starts.map(\.group))
        var roots = resumed.nodes
        SharedHullBounds.attach(
            to: &roots, groups: resumed.groups, problem: copy, propagator: try BoundPropagator(network: copy.network),
            workers: 2, deadline: .now + .seconds(60))
        let shared = roots.filter { $0.parentBounds != nil }
        #expect(shared.count >= roots.count / 2 && shared.count > 1)
        var rng = SplitMix64(seed: 3)
        for node in shared {
            let bounds = try #require(node.parentBounds)
            #expect(bounds.tensors[0].contains(node.box.lower) && bounds.tensors[0].contains(node.box.upper))
            #expect(bounds.tensors[0] != node.box)
            for _ in 0..<20 {
                let x = (0..<node.box.dimension).map { d -> Double in
                    let u = Double(rng.next() >> 11) * 0x1p-53
                    return node.box.lower[d] + (node.box.upper[d] - node.box.lower[d]) * u
                }
                for (i, t) in copy.network.trace(x).enumerated() {
                    #expect(bounds.tensors[i].contains(t, tolerance: 1e-9))
                }
            }
        }
        let (scratch, reused) = try Self.compare(copy, trace)
        #expect(Self.kind(scratch.verdict) == "proven" && Self.kind(reused.verdict) == "proven")
        // Starts on the case's whole box (a ReLU-split proof) and groups of one are left alone.
        let whole = SearchNode(
            caseIndex: 0, box: copy.cases[0].box, splits: SplitSet(), openRegions: [0], parentBounds: nil,
            recomputeFrom: nil, priority: 0, depth: 0, inputSplitDepth: 0)
        #expect(SharedHullBounds.membership([whole, whole, roots[0]], groups: [0, 0, 1], problem: copy).isEmpty)
    }

    /// A resumed region holds the share of the space it had in the earlier search (each bisection and each ReLU
    /// split halves it), so that the closed share of a resumed search is the space it really closed; leaves that do
    /// not cover their case count nothing beside the case's root.
    @Test func resumedRegionsHoldTheirShareOfTheSpace() throws {
        let problem = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        let relu = try #require(problem.network.layers.firstIndex(of: .relu))
        let (left, right) = problem.cases[0].box.bisected(along: 0)
        let (rightLow, rightHigh) = right.bisected(along: 3)
        let leaves = [
            SearchLeaf(caseIndex: 0, box: left),
            SearchLeaf(caseIndex: 0, box: rightLow),
            SearchLeaf(caseIndex: 0, box: rightHigh, splits: SplitSet([ReLUSplit(layer: relu, neuron: 2, isActive: true)])),
            SearchLeaf(caseIndex: 0, box: rightHigh, splits: SplitSet([ReLUSplit(layer: relu, neuron: 2, isActive: false)])),
        ]
        let covering = try Verifier.resumedRoots(problem, leaves).nodes
        #expect(zip(covering.map(\.share), [0.5, 0.25, 0.125, 0.125]).allSatisfy { abs($0 - $1) < 1e-12 })
        let partial = try Verifier.resumedRoots(problem, Array(leaves.prefix(3))).nodes
        #expect(partial.map(\.share) == [0, 0, 0, 1], "the case's root holds the whole case")
        // A resumed search that proves the property has closed all of it.
        let trace = try #require(try Self.verifier(.inputSplit).verify(problem).trace)
        let reused = try Self.verifier(.inputSplit).verify(problem, reusing: trace)
        #expect(Self.kind(reused.verdict) == "proven")
        #expect(abs(reused.statistics.closedShare - 1) < 1e-9)
    }

    @Test func aForeignLeafIsAdaptedNotTrusted() throws {
        let problem = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        var box = problem.cases[0].box
        box.upper[0] += 100
        let relu = try #require(problem.network.layers.firstIndex(of: .relu))
        var trace = SearchTrace()
        trace.nodes = [
            SearchTrace.Node(
                id: 0, caseIndex: 0, ending: .refutedByBound, box: box,
                splits: [ReLUSplit(layer: relu, neuron: 3, isActive: true), ReLUSplit(layer: relu - 1, neuron: 0, isActive: true),
                         ReLUSplit(layer: relu, neuron: 5000, isActive: false)]),
            SearchTrace.Node(id: 1, caseIndex: 7, ending: .refutedByBound),
        ]
        let reuse = try ProofReuse(trace: trace, problem: problem)
        #expect(reuse.droppedLeaves == 1 && reuse.droppedSplits == 2)
        #expect(reuse.leaves.count == 1 && reuse.leaves[0].box == nil, "the box is clipped to the case's")
        #expect(reuse.leaves[0].splits.splits == [ReLUSplit(layer: relu, neuron: 3, isActive: true)])
    }

    @Test func aTraceOfAnotherPropertyOrInputCountIsRefused() throws {
        let problem = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        let other = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_4.vnnlib")
        var trace = SearchTrace()
        trace.origin = SearchTrace.Origin(other)
        #expect(throws: VerifierError.self) { try Self.verifier().verify(problem, reusing: trace) }
        trace.origin = SearchTrace.Origin(problem)
        trace.origin?.inputs = 7
        #expect(throws: VerifierError.self) { try Self.verifier().verify(problem, reusing: trace) }
        trace.origin = SearchTrace.Origin(problem)
        #expect(try Self.verifier().verify(problem, reusing: trace).verdict == .proven, "an empty trace: from the root")
    }

    /// A "proof" of `problem` whose one node line is not a node: its header reads, its nodes do not decode.
    static func corruptProof(of problem: VerificationProblem) -> String {
        let origin = SearchTrace.Origin(problem)
        return "{\"inputs\":\(origin.inputs),\"network\":\"\(origin.network)\",\"nodes\":1,\"outcome\":\"proven\","
            + "\"property\":\"\(origin.property)\",\"schema\":\"nncert-search-trace\",\"version\":1}\n{not a node\n"
    }

    @Test func aTraceReadAsLinesIsDecodedOnlyWhenTheSearchNeedsIt() throws {
        let sat = try Self.problem("test/test_sat.onnx", "test/test_prop.vnnlib")
        let lines = try SearchTrace.Lines(Self.corruptProof(of: sat))
        #expect(lines.header.outcome == .proven && lines.header.origin == SearchTrace.Origin(sat))
        #expect(throws: TraceError(line: 2, problem: "malformed node record")) { try lines.decoded() }
        guard case .violated = try Self.verifier().verify(sat, reusing: lines).verdict else {
            Issue.record("sampling finds the counterexample before the nodes are needed")
            return
        }
        let unsat = try Self.problem("test/test_unsat.onnx", "test/test_prop.vnnlib")
        let unsatLines = try SearchTrace.Lines(Self.corruptProof(of: unsat))
        #expect(throws: VerifierError.unreadableTrace(TraceError(line: 2, problem: "malformed node record"))) {
            try Self.verifier().verify(unsat, reusing: unsatLines)
        }
        #expect(throws: TraceError.self, "a line count other than the header's") {
            try SearchTrace.Lines(Self.corruptProof(of: unsat) + "{\"id\":1}\n")
        }
        // A real proof read as lines gives what the decoded trace gives.
        let original = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        let trace = try #require(try Self.verifier().verify(original).trace)
        let copy = Self.on(original, try Self.pruned(original.network, 0.1))
        let fromLines = try Self.verifier().verify(copy, reusing: try SearchTrace.Lines(try trace.jsonLines()))
        let fromTrace = try Self.verifier().verify(copy, reusing: trace)
        #expect(fromLines.verdict == .proven && fromTrace.verdict == .proven)
        #expect(fromLines.statistics.nodes == fromTrace.statistics.nodes)
    }

    @Test func theHeaderKeepsOriginOutcomeAndWitnessAndVersionOneFilesStillRead() throws {
        var trace = SearchTrace()
        trace.origin = SearchTrace.Origin(network: "ab", property: "cd", inputs: 5)
        trace.outcome = .violated
        trace.witness = SearchTrace.Witness(caseIndex: 1, disjunctIndex: 2, input: [0.5, -0.25])
        let again = try SearchTrace(jsonLines: try trace.jsonLines())
        #expect(again.origin == trace.origin && again.outcome == .violated && again.witness == trace.witness)
        let old = "{\"nodes\":1,\"schema\":\"nncert-search-trace\",\"version\":1}\n"
            + "{\"boundAfter\":\"inf\",\"caseIndex\":0,\"ending\":\"refuted-bound\",\"id\":0}\n"
        let read = try SearchTrace(jsonLines: old)
        #expect(read.origin == nil && read.witness == nil && read.nodes.count == 1)
    }

    @Test func contentHashesAreStableAndSensitive() throws {
        var h = ContentHash()
        h.combine([1.0, 2.0])
        h.combine("x")
        #expect(h.description == "218714143d95a355789ad95783111ca8", "the same value in every process and release")
        let problem = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        let reloaded = try Self.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib")
        #expect(ContentHash.of(problem.network) == ContentHash.of(reloaded.network))
        #expect(ContentHash.of(problem) == ContentHash.of(reloaded))
        #expect(ContentHash.of(problem.network) != ContentHash.of(try Self.pruned(problem.network, 0.1)))
        #expect(ContentHash.of(problem) != ContentHash.of(try Self.problem(
            "acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_4.vnnlib")))
    }
}
