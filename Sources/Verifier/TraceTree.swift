import Bounds

/// A search trace as a tree, cut where proof reuse starts: at the highest nodes below which the earlier search
/// only split ReLUs (its leaves, where it bisected down to them). Each such node is a starting region with the
/// ``ReusePlan`` of its subtree.
///
/// Why there: input bisection gives a child only a looser enclosure of its bounds (the parent's, intersected with
/// its own), so starting at a bisected tree's leaves skips the inner nodes at a small loss per leaf; a ReLU split's
/// children inherit their parent's intermediate bounds
/// (and are much tighter for it), so a ReLU subtree is walked again from its top, following the earlier
/// decisions and skipping every subtree whose top now closes.
///
/// Only the trace's leaves record their region, so a start's region is read off a leaf below it: the leaf's box
/// (no bisection below a start) and its splits without the decisions on the path. The trace is untrusted: odd
/// shapes (a missing child, a cycle of parent ids, duplicate ids) give fewer or smaller starts, which
/// ``LeafCover`` then finds do not cover the case, never an unsound one.
struct TraceTree {
    private let nodes: [SearchTrace.Node]
    private var children: [Int: [Int]] = [:]
    /// Node id → index in ``nodes``.
    private var index: [Int: Int] = [:]
    private let reluSizes: [Int: Int]
    private var bisectionBelow: [Int: Bool] = [:]

    /// The tree of `trace`; `reluSizes` (ReLU layer → neurons) of the network it is reused on.
    /// Node ids, each kept once (a repeated id is dropped: with unique ids every node has one parent, so the
    /// tree has as many paths as nodes).
    private let ids: Set<Int>

    /// The tree of `trace`; `reluSizes` (ReLU layer → neurons) of the network it is reused on.
    init(_ trace: SearchTrace, reluSizes: [Int: Int]) {
        var ids = Set<Int>()
        nodes = trace.nodes.filter { ids.insert($0.id).inserted }
        self.ids = ids
        self.reluSizes = reluSizes
        for (i, node) in nodes.enumerated() {
            index[node.id] = i
            if let p = node.parent, ids.contains(p), p != node.id { children[p, default: []].append(i) }
        }
    }

    /// True when node `i` has no parent in the trace.
    private func isRoot(_ i: Int) -> Bool {
        guard let p = nodes[i].parent else { return true }
        return !ids.contains(p) || p == nodes[i].id
    }

    /// The starting regions with their plans, in the trace's order of roots, each with its group: the index of
    /// the node `groupLevels` levels above it (or of the highest node above it, when fewer), so that starts with
    /// the same group lie in one box of the earlier search.
    mutating func starts(groupLevels: Int = 0) -> [(SearchLeaf, ReusePlan, group: Int)] {
        var out: [(SearchLeaf, ReusePlan, group: Int)] = []
        var visited = Set<Int>()
        var stack = Array(nodes.indices.filter(isRoot).reversed())
        while let i = stack.popLast() {
            guard visited.insert(i).inserted else { continue }
            if hasBisectionBelow(i) {
                stack += (children[nodes[i].id] ?? []).reversed()
            } else if let region = region(of: i) {
                out.append((region, plan(i, depth: 0), ancestor(of: i, levels: groupLevels)))
            }
        }
        return out
    }

    /// The index of the node `levels` parents above node `i`, or of the highest one there is.
    private func ancestor(of i: Int, levels: Int) -> Int {
        var j = i
        for _ in 0..<levels {
            guard !isRoot(j), let p = nodes[j].parent, let up = index[p] else { break }
            j = up
        }
        return j
    }

    /// True when some node below `i` was made by bisection (memoised; a cycle counts as bisection, so that
    /// its nodes are never a start).
    private mutating func hasBisectionBelow(_ i: Int) -> Bool {
        if let known = bisectionBelow[i] { return known }
        bisectionBelow[i] = true
        let below = (children[nodes[i].id] ?? []).contains { nodes[$0].decision?.bisect != nil || hasBisectionBelow($0) }
        bisectionBelow[i] = below
        return below
    }

    /// The region of node `i`: a leaf below it (first children first) with the path's decisions removed.
    private func region(of i: Int) -> SearchLeaf? {
        var j = i
        var decided = Set<NeuronID>()
        for _ in 0..<nodes.count {
            guard let next = children[nodes[j].id]?.first else { break }
            j = next
            guard let relu = nodes[j].decision?.relu, relu.count == 2 else { return nil }
            decided.insert(NeuronID(layer: relu[0], neuron: relu[1]))
        }
        guard nodes[j].ending != .split else { return nil }
        let splits = (nodes[j].splits ?? []).filter { !decided.contains($0.id) }
        return SearchLeaf(caseIndex: nodes[i].caseIndex, box: nodes[j].box, splits: SplitSet(splits))
    }

    /// The earlier search's splits below node `i`: a ReLU of this network split into exactly two children, one
    /// per phase; anything else ends the plan.
    private func plan(_ i: Int, depth: Int) -> ReusePlan {
        guard depth < nodes.count, let kids = children[nodes[i].id], kids.count == 2,
            let a = nodes[kids[0]].decision, let b = nodes[kids[1]].decision,
            let relu = a.relu, relu.count == 2, b.relu == relu, let phase = a.active, b.active == !phase,
            let size = reluSizes[relu[0]], relu[1] >= 0, relu[1] < size
        else { return .end }
        let (active, inactive) = phase ? (kids[0], kids[1]) : (kids[1], kids[0])
        return .split(
            NeuronID(layer: relu[0], neuron: relu[1]), active: plan(active, depth: depth + 1),
            inactive: plan(inactive, depth: depth + 1))
    }
}
