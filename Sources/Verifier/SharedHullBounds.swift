import Bounds
import Foundation
import Tensor

/// Intermediate bounds shared by the resumed roots of a proof reuse that lie in one box of the earlier search.
///
/// A reused input-split proof starts at the original's leaves, each a small box with no parent in the new
/// search, so each would compute every neuron's bounds from nothing — where a box half of a search from scratch
/// starts from its parent's (``SearchNode/parentBounds``) and skips the neurons the parent proved stable. Here the
/// roots of a group (``ProofReuse/Start/group``: leaves a few bisections below one node of the earlier search)
/// are given the intermediate bounds of their boxes' hull, computed on this network before the search, as their
/// parent bounds. Sound whatever the trace says: the hull contains every member's box, so its bounds hold on
/// each member (the members' splits only shrink their regions further). Only boxes strictly inside their case
/// take part (a ReLU-split start on the whole box keeps its root treatment), and only groups of two or more.
enum SharedHullBounds {
    /// Gives `roots[i]` the bounds of its group's hull (`groups[i]`; nil: none) as its parent bounds, computing the
    /// hulls' bounds on `workers` threads; groups not reached by `deadline` are left without.
    static func attach(
        to roots: inout [SearchNode], groups: [Int?], problem: VerificationProblem, propagator: BoundPropagator,
        workers: Int, deadline: ContinuousClock.Instant
    ) {
        let members = membership(roots, groups: groups, problem: problem)
        let hulls = members.map { hull(of: $0.map { roots[$0].box }) }
        let bounds = compute(hulls, propagator: propagator, workers: workers, deadline: deadline)
        for (g, indices) in members.enumerated() {
            guard let b = bounds[g], !b.isInfeasible else { continue }
            for i in indices where roots[i].parentBounds == nil { roots[i].parentBounds = b }
        }
    }

    /// The groups of two or more roots (indices into `roots`), by case and group, in order of first member.
    static func membership(_ roots: [SearchNode], groups: [Int?], problem: VerificationProblem) -> [[Int]] {
        var slot: [[Int]: Int] = [:]
        var members: [[Int]] = []
        for (i, node) in roots.enumerated() {
            guard groups.indices.contains(i), let g = groups[i], node.box != problem.cases[node.caseIndex].box
            else { continue }
            let key = [node.caseIndex, g]
            if let s = slot[key] {
                members[s].append(i)
            } else {
                slot[key] = members.count
                members.append([i])
            }
        }
        return members.filter { $0.count > 1 }
    }

    /// The smallest box containing every box of `boxes` (all of one dimension, at least one).
    static func hull(of boxes: [Box]) -> Box {
        var h = boxes[0]
        for b in boxes.dropFirst() {
            for d in 0..<h.dimension {
                h.lower[d] = Swift.min(h.lower[d], b.lower[d])
                h.upper[d] = Swift.max(h.upper[d], b.upper[d])
            }
        }
        return h
    }

    /// CROWN intermediate bounds over each box, thread `w` taking every `workers`-th box from `w`.
    private static func compute(
        _ boxes: [Box], propagator: BoundPropagator, workers: Int, deadline: ContinuousClock.Instant
    ) -> [IntermediateBounds?] {
        let results = Results(count: boxes.count)
        let threads = Swift.max(1, Swift.min(workers, boxes.count))
        DispatchQueue.concurrentPerform(iterations: threads) { w in
            for g in stride(from: w, to: boxes.count, by: threads) {
                guard ContinuousClock.now < deadline else { return }
                results.set(g, propagator.intermediateBounds(over: boxes[g]))
            }
        }
        return results.values
    }

    /// One slot per box, written by the threads under a lock.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [IntermediateBounds?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ bounds: IntermediateBounds) {
            lock.lock()
            slots[i] = bounds
            lock.unlock()
        }

        var values: [IntermediateBounds?] {
            lock.lock()
            defer { lock.unlock() }
            return slots
        }
    }
}
