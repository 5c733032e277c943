import HeapModule
import Bounds
public import Network
public import Tensor

extension DifferenceBounds {
    /// Certified bounds of `g − f` over `box`, tightened by best-first input and ReLU splitting within `budget`.
    ///
    /// Each leaf is bounded by difference propagation when the networks share a layer structure (or `g` is a
    /// structured pruning of `f`), and otherwise by CROWN on the product network `x ↦ g(x) − f(x)`
    /// (``DifferenceRefinement/method`` says which); networks neither accepts throw the structure error. With
    /// difference propagation, the root's bounds are also intersected with the product network's where it exists
    /// (the two relax differently, and neither is always tighter), so the result is never looser than the
    /// product network's unsplit bound.
    ///
    /// The attack (if any) runs first, and probes every leaf box that is split (its centre, and PGD there on the
    /// leaf's worst output: ``DifferenceAttack/probe(_:original:compressed:in:output:sign:)``). Then a max-heap of
    /// leaves keyed by their worst `max |g − f|` bound: the worst leaf is split (``splitDecision(_:root:_:)``),
    /// either bisected along the coordinate of largest smear `|a_j|·width_j` (`a` the input coefficients of its
    /// binding symbolic bound; widest relative width when all smears are 0 or after ``stallLimit`` splits in a
    /// row that did not improve the bound, and always with ``DifferenceBudget/SplitChoice/widest``), or split
    /// on the phase of its ReLU candidate (``ReLUCandidate``; ``DifferenceSplits``) into an active and an
    /// inactive child. Each child's bounds are intersected with its parent's (a child's region lies in its
    /// parent's), and a child no input reaches is dropped. This goes on until every leaf is exact, the worst
    /// leaf is within `targetRatio` of the attacked value, or the leaf or time budget is spent. The result is
    /// the union of the leaves' bounds: every input lies in some leaf (both halves of a box, both phases of a
    /// neuron cover their parent).
    public static func compute(
        original f: Network, compressed g: Network, over box: Box, budget: DifferenceBudget,
        margins: SoundnessMargins = SoundnessMargins()
    ) throws(DifferentialError) -> DifferenceRefinement {
        let bounder = try LeafBounder.make(original: f, compressed: g, box: box)
        var attack = budget.attack?.run(original: f, compressed: g, over: box)
        let start = ContinuousClock.now
        let choice = budget.splitChoice.resolved(for: f)
        var root = try bounder.bound(box, margins: margins)
        var product: DifferenceBounds?
        switch bounder {
        case .product: product = root.bounds
        case .propagation where !root.isInfeasible:
            product = try? productNetwork(original: f, compressed: g, over: box, margins: margins)
            if let product { root.bounds = root.bounds.intersected(with: product) }
        default: break
        }
        var heap = Heap([Leaf(box: box, analysis: root)])
        var stop = DifferenceRefinement.Stop.exact
        var reluSplits = 0
        while let worst = heap.max {
            if worst.worst == 0 { stop = .exact; break }
            if let r = budget.targetRatio, let a = attack, worst.worst <= r * a.worst { stop = .target; break }
            if heap.count >= budget.maxLeaves { stop = .leaves; break }
            if let t = budget.timeLimit, (ContinuousClock.now - start).seconds >= t { stop = .time; break }
            guard let decision = splitDecision(worst, root: box, choice) else { stop = .leaves; break }
            var parent = heap.removeMax()
            if let a = budget.attack, attack != nil, !parent.probed {
                let (i, sign) = parent.bounds.worstSide
                var probing = a
                probing.steps = min(a.steps, 20)
                probing.probe(&attack!, original: f, compressed: g, in: parent.box, output: i, sign: sign)
                parent.probed = true
            }
            if case .relu = decision { reluSplits += 1 }
            for child in try split(parent, decision, bounder, margins) { heap.insert(child) }
        }
        var bounds = root.bounds
        let leaves = heap.unordered
        // No leaf left: every one was infeasible, so no input reaches the box's remaining part; the unsplit
        // bounds stay (sound for the whole box).
        for i in bounds.lower.indices {
            bounds.lower[i] = max(bounds.lower[i], leaves.map { $0.bounds.lower[i] }.min() ?? bounds.lower[i])
            bounds.upper[i] = min(bounds.upper[i], leaves.map { $0.bounds.upper[i] }.max() ?? bounds.upper[i])
        }
        return DifferenceRefinement(
            bounds: bounds, attack: attack, leaves: leaves.count, seconds: (ContinuousClock.now - start).seconds,
            stop: stop, method: bounder.method, reluSplits: reluSplits, productNetwork: product)
    }

    /// Certified bounds of `g − f` over `box` after `splits` best-first bisections (no attack, no time limit):
    /// `compute(original:compressed:over:budget: .splits(splits))`'s bounds.
    public static func compute(
        original f: Network, compressed g: Network, over box: Box, splits: Int,
        margins: SoundnessMargins = SoundnessMargins()
    ) throws(DifferentialError) -> DifferenceBounds {
        try compute(original: f, compressed: g, over: box, budget: .splits(splits), margins: margins).bounds
    }

    /// The largest `max |g − f|` bound over the outputs (NaN-free: bounds are never NaN).
    var worst: Double { maxAbsolute.max() ?? 0 }

    /// The output with the largest `max |g − f|` bound and the side that attains it (+1 upper, −1 lower).
    var worstSide: (output: Int, sign: Double) {
        let i = maxAbsolute.indices.max { maxAbsolute[$0] < maxAbsolute[$1] } ?? 0
        return (i, abs(upper[i]) >= abs(lower[i]) ? 1 : -1)
    }

    /// The coordinate-wise intersection with other sound bounds of the same region's difference.
    func intersected(with other: DifferenceBounds) -> DifferenceBounds {
        intersected(lower: other.lower, upper: other.upper)
    }

    /// The intersection with `[−magnitude, magnitude]` per output: these bounds and a proof that
    /// `|g_i − f_i| ≤ magnitude` everywhere in the region (the naive bounds are kept).
    public func clamped(toMagnitude magnitude: Double) -> DifferenceBounds {
        intersected(lower: lower.map { _ in -magnitude }, upper: upper.map { _ in magnitude })
    }

    private func intersected(lower l: [Double], upper u: [Double]) -> DifferenceBounds {
        var result = self
        for i in lower.indices {
            result.lower[i] = max(lower[i], l[i])
            result.upper[i] = min(upper[i], u[i])
        }
        return result
    }

    /// The children of `parent` under `decision` (two box halves, or the phases of a ReLU neuron, which together
    /// cover it), each intersected with the parent's bounds; infeasible children (no input reaches them) are left
    /// out. A ReLU child reuses the parent's analysis; a box half is bounded afresh: intersecting its
    /// intermediate bounds with the parent's as well changed the best-first path, for better on some ACAS Xu
    /// pairs and for worse on others (an ε-equivalence screen query went from 11 s to a 60 s timeout).
    static func split(
        _ parent: Leaf, _ decision: SplitDecision, _ bounder: LeafBounder, _ margins: SoundnessMargins
    ) throws(DifferentialError) -> [Leaf] {
        var children: [Leaf] = []
        switch decision {
        case let .input(d):
            let (left, right) = parent.box.bisected(along: d)
            for box in [left, right] {
                let c = try bounder.bound(box, splits: parent.splits, margins: margins)
                if let child = Leaf(box: box, splits: parent.splits, analysis: c, parent: parent, probed: false) {
                    children.append(child)
                }
            }
        case let .relu(neuron, sides):
            var phases = [parent.splits]
            for side in sides {
                phases = phases.flatMap { s in [true, false].map { s.adding(ReLUSplit(neuron, isActive: $0), on: side) } }
            }
            for splits in phases {
                let c = try bounder.bound(
                    parent.box, splits: splits, margins: margins, parent: parent.analysis, split: (neuron.layer, sides))
                if let child = Leaf(box: parent.box, splits: splits, analysis: c, parent: parent, probed: parent.probed) {
                    children.append(child)
                }
            }
        }
        // A split stalls when it moved no child's bound by 0.1%; one that moved any resets the count.
        let stalled = children.allSatisfy { $0.worst >= 0.999 * parent.worst }
        for i in children.indices { children[i].stalls = stalled ? parent.stalls + 1 : 0 }
        return children
    }

    /// How to split `leaf` under `choice`: its ReLU candidate, in both networks when it is unstable in both (four
    /// children: a split of one network alone leaves the difference relaxation of the other's unstable copy as
    /// loose as before), (``DifferenceBudget/SplitChoice/relu``; `auto` is resolved before the search and
    /// counts as `relu` here) when it has one, else the input coordinate of ``splitCoordinate(_:root:_:)``. Nil
    /// when neither exists.
    static func splitDecision(_ leaf: Leaf, root: Box, _ choice: DifferenceBudget.SplitChoice) -> SplitDecision? {
        let input = splitCoordinate(leaf, root: root, choice).map(SplitDecision.input)
        // A ReLU candidate that stalled (``stallLimit`` splits in a row moved no child's bound by 0.1%) yields to
        // input bisection, as the smear rule yields to the widest coordinate.
        guard let c = leaf.analysis.candidate, leaf.stalls < Self.stallLimit else { return input }
        let relu = SplitDecision.relu(c.neuron, c.bothUnstable ? [.original, .compressed] : [c.side])
        switch choice {
        case .smear, .widest: return input
        case .relu, .auto: return relu
        }
    }

    /// After this many splits in a row that moved no child's worst bound by 0.1% of its parent's, the smear
    /// rule splits the widest coordinate instead: the bound then comes from relaxation gaps that the input
    /// coefficients do not show (ACAS Xu 2_3, 50% pruned, property 1: the smear alone stalls at 4.95 while the
    /// attack finds 0.28).
    static let stallLimit = 3

    /// The coordinate to bisect: the one of largest smear among those of positive width (`.smear`; the widest if
    /// every smear is 0 or after ``stallLimit`` stalled splits), or the one of largest `width / rootWidth`
    /// (`.widest`). Nil when the leaf is a point. (`.relu` and `.auto` bisect inputs by the smear rule, and
    /// fall back to the widest only after ``stallLimit`` more stalled splits, the first ones being ReLU splits.)
    static func splitCoordinate(_ leaf: Leaf, root: Box, _ choice: DifferenceBudget.SplitChoice) -> Int? {
        let open = (0..<leaf.box.dimension).filter { leaf.box.upper[$0] > leaf.box.lower[$0] }
        let widest = open.max {
            (leaf.box.upper[$0] - leaf.box.lower[$0]) / (root.upper[$0] - root.lower[$0])
                < (leaf.box.upper[$1] - leaf.box.lower[$1]) / (root.upper[$1] - root.lower[$1])
        }
        guard let widest else { return nil }
        let smear = open.max { leaf.smear[$0] < leaf.smear[$1] }.flatMap { leaf.smear[$0] > 0 ? $0 : nil } ?? widest
        switch choice {
        case .smear: return leaf.stalls >= Self.stallLimit ? widest : smear
        case .relu, .auto: return leaf.stalls >= 2 * Self.stallLimit ? widest : smear
        case .widest: return widest
        }
    }
}

/// One leaf of the refinement: its box, ReLU decisions, analysis and split state, ordered by its worst bound.
struct Leaf: Comparable {
    var box: Box
    var splits: DifferenceSplits
    var analysis: LeafAnalysis
    /// How many splits in a row, down to this leaf, moved no child's worst bound by 0.1% of its parent's.
    var stalls: Int
    /// True when the attack has already probed this leaf's box.
    var probed: Bool
    var bounds: DifferenceBounds { analysis.bounds }
    var smear: [Double] { analysis.smear }
    var worst: Double { bounds.worst }

    /// The root leaf: `box` without decisions.
    init(box: Box, analysis: LeafAnalysis) {
        self.box = box
        splits = DifferenceSplits()
        self.analysis = analysis
        stalls = 0
        probed = false
    }

    /// A child of `parent` with its own analysis, bounds intersected with the parent's; nil when infeasible.
    init?(box: Box, splits: DifferenceSplits, analysis: LeafAnalysis, parent: Leaf, probed: Bool) {
        guard !analysis.isInfeasible else { return nil }
        self.box = box
        self.splits = splits
        self.analysis = analysis
        self.analysis.bounds = analysis.bounds.intersected(with: parent.bounds)
        stalls = 0
        self.probed = probed
    }

    static func < (a: Leaf, b: Leaf) -> Bool { a.worst < b.worst }
    static func == (a: Leaf, b: Leaf) -> Bool { a.worst == b.worst }
}
