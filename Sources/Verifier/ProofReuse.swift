import Bounds
import Network
import Tensor

/// A search trace of one network turned into starting points for another network of the same property (proof
/// reuse, after IVAN: Ugare et al., "Incremental verification of neural networks", PLDI 2023).
///
/// The trace is untrusted: it may come from another network, be partial (a run that timed out), or be tampered
/// with. Nothing in it is taken as proof. Its leaves are only *where the search starts*, and
/// ``Verifier/verify(_:startingFrom:)``'s rules apply: every leaf is bounded again on this network, and a case
/// the leaves do not provably cover (``LeafCover``) is also searched from its root. The adaptation below is
/// therefore lenient — it drops or widens what does not fit, which can only cost time:
///
/// - a leaf of a case the problem does not have, or whose box has another dimension, is dropped;
/// - a leaf's box is intersected with its case's box (dropped when they do not meet);
/// - a ReLU split naming a layer that is not a ReLU of this network, or a neuron beyond that layer's size, is
///   removed from its leaf: the leaf then stands for a larger region (both phases of that neuron), which is
///   still a sound starting point, and sibling leaves that differed only in that split become duplicates.
///
/// What the trace says about its origin is checked: a trace recorded on a network with another number of inputs
/// or for another property (``SearchTrace/Origin``, content hashes) is refused with
/// ``VerifierError/incompatibleTrace(_:)``. Traces without an origin (version 1 files from before the field) are
/// accepted and adapted as above.
struct ProofReuse {
    /// Where the search starts: a region of the earlier search (box and splits, adapted) and the splits that
    /// search made below it.
    struct Start: Hashable {
        var leaf: SearchLeaf
        var plan: ReusePlan
        /// Starts of one group lie in one box of the earlier search, a few bisections above them
        /// (``TraceTree/starts(groupLevels:)``): they share the intermediate bounds of their boxes' hull
        /// (``SharedHullBounds``).
        var group = 0
    }

    /// How many bisections above its start a group's box lies. A start's own intermediate bounds are computed
    /// again, intersected with its group's: neurons the group's hull proves stable skip the back-substitution.
    static let groupLevels = 3

    /// The starting points, in the trace's order, without duplicates.
    var starts: [Start] = []
    /// Starting points dropped (unknown case, wrong dimension, box outside the case, no leaf below).
    var droppedLeaves = 0
    /// Split decisions removed from starting regions (neurons this network does not have).
    var droppedSplits = 0

    /// The starting regions.
    var leaves: [SearchLeaf] { starts.map(\.leaf) }

    /// Adapts `trace` to `problem`.
    /// - Throws: ``VerifierError/incompatibleTrace(_:)`` when the trace's origin names another property or a
    ///   network with another number of inputs.
    init(trace: SearchTrace, problem: VerificationProblem) throws(VerifierError) {
        if let origin = trace.origin { try Self.check(origin, problem) }
        let reluSizes = Self.reluSizes(problem.network)
        var tree = TraceTree(trace, reluSizes: reluSizes)
        var seen = Set<Start>()
        for (region, plan, group) in tree.starts(groupLevels: Self.groupLevels) {
            guard let adapted = adapt(region, problem, reluSizes: reluSizes) else {
                droppedLeaves += 1
                continue
            }
            if seen.insert(Start(leaf: adapted, plan: plan)).inserted {
                starts.append(Start(leaf: adapted, plan: plan, group: group))
            }
        }
    }

    /// `leaf` fitted to `problem`, or nil when it cannot be.
    private mutating func adapt(_ leaf: SearchLeaf, _ problem: VerificationProblem, reluSizes: [Int: Int])
        -> SearchLeaf?
    {
        guard problem.cases.indices.contains(leaf.caseIndex) else { return nil }
        let caseBox = problem.cases[leaf.caseIndex].box
        var box = leaf.box ?? caseBox
        guard box.dimension == caseBox.dimension else { return nil }
        for d in 0..<box.dimension {
            box.lower[d] = Swift.max(box.lower[d], caseBox.lower[d])
            box.upper[d] = Swift.min(box.upper[d], caseBox.upper[d])
        }
        guard box.isValid else { return nil }
        let all = leaf.splits.splits
        let kept = all.filter { split in reluSizes[split.layer].map { split.neuron >= 0 && split.neuron < $0 } ?? false }
        droppedSplits += all.count - kept.count
        return SearchLeaf(caseIndex: leaf.caseIndex, box: box == caseBox ? nil : box, splits: SplitSet(kept))
    }

    /// Refuses a trace whose origin names a network with another number of inputs or another property.
    /// - Throws: ``VerifierError/incompatibleTrace(_:)``.
    static func check(_ origin: SearchTrace.Origin, _ problem: VerificationProblem) throws(VerifierError) {
        guard origin.inputs == problem.network.inputCount else {
            throw .incompatibleTrace(
                "recorded on a network with \(origin.inputs) inputs; this network has \(problem.network.inputCount)")
        }
        let property = ContentHash.of(problem).description
        guard origin.property == property else {
            throw .incompatibleTrace(
                "recorded for another property (property hash \(origin.property), this one \(property))")
        }
    }

    /// Layer index → number of neurons, for every ReLU layer of `network`.
    private static func reluSizes(_ network: Network) -> [Int: Int] {
        var sizes: [Int: Int] = [:]
        for (i, layer) in network.layers.enumerated() where layer == .relu {
            sizes[i] = network.inputShape(ofLayer: i).reduce(1, *)
        }
        return sizes
    }
}
