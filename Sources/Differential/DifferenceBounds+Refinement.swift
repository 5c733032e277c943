import HeapModule
public import Network
public import Tensor

extension DifferenceBounds {
    /// Certified bounds of `g − f` over `box`, tightened by best-first input splitting within `budget`.
    ///
    /// The attack (if any) runs first, and probes every leaf that is split (its centre, and PGD there on the
    /// leaf's worst output: ``DifferenceAttack/probe(_:original:compressed:in:output:sign:)``). Then a max-heap of
    /// leaves keyed by their worst `max |g − f|` bound: the worst leaf is bisected along the coordinate of largest
    /// smear `|a_j|·width_j` (`a` the input coefficients of its binding symbolic bound; widest relative width when
    /// all smears are 0, or always with ``DifferenceBudget/SplitChoice/widest``), each child's bounds intersected
    /// with its parent's (a child's box lies in its parent's), until every leaf is exact, the worst leaf is within
    /// `targetRatio` of the attacked value, or the leaf or time budget is spent. The result is the union of the
    /// leaves' bounds: every input lies in some leaf.
    public static func compute(
        original f: Network, compressed g: Network, over box: Box, budget: DifferenceBudget,
        margins: SoundnessMargins = SoundnessMargins()
    ) throws(DifferentialError) -> DifferenceRefinement {
        let (f, g) = try StructureAlignment.aligned(original: f, compressed: g)
        try StructureCheck.validate(f, g, box: box)
        var attack = budget.attack?.run(original: f, compressed: g, over: box)
        let start = ContinuousClock.now
        let root = try leaf(original: f, compressed: g, over: box, margins: margins)
        var heap = Heap([Leaf(box: box, bounds: root.bounds, smear: root.smear)])
        var stop = DifferenceRefinement.Stop.leaves
        while let worst = heap.max {
            if worst.worst == 0 { stop = .exact; break }
            if let r = budget.targetRatio, let a = attack, worst.worst <= r * a.worst { stop = .target; break }
            if heap.count >= budget.maxLeaves { stop = .leaves; break }
            if let t = budget.timeLimit, (ContinuousClock.now - start).seconds >= t { stop = .time; break }
            guard let d = splitCoordinate(worst, root: box, budget.splitChoice) else { stop = .leaves; break }
            let parent = heap.removeMax()
            if let a = budget.attack, attack != nil {
                let (i, sign) = parent.bounds.worstSide
                var probing = a
                probing.steps = min(a.steps, 20)
                probing.probe(&attack!, original: f, compressed: g, in: parent.box, output: i, sign: sign)
            }
            let (left, right) = parent.box.bisected(along: d)
            for child in [left, right] {
                let c = try leaf(original: f, compressed: g, over: child, margins: margins)
                heap.insert(Leaf(box: child, bounds: c.bounds.intersected(with: parent.bounds), smear: c.smear))
            }
        }
        var bounds = root.bounds
        let leaves = heap.unordered
        for i in bounds.lower.indices {
            bounds.lower[i] = max(bounds.lower[i], leaves.map { $0.bounds.lower[i] }.min() ?? bounds.lower[i])
            bounds.upper[i] = min(bounds.upper[i], leaves.map { $0.bounds.upper[i] }.max() ?? bounds.upper[i])
        }
        return DifferenceRefinement(
            bounds: bounds, attack: attack, leaves: leaves.count, seconds: (ContinuousClock.now - start).seconds,
            stop: stop)
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
        var result = self
        for i in lower.indices {
            result.lower[i] = max(lower[i], other.lower[i])
            result.upper[i] = min(upper[i], other.upper[i])
        }
        return result
    }

    /// With `.smear`, the coordinate of largest smear among those of positive width; else (or when every smear
    /// is 0) the one of largest `width / rootWidth`; nil when the leaf is a point.
    private static func splitCoordinate(_ leaf: Leaf, root: Box, _ choice: DifferenceBudget.SplitChoice) -> Int? {
        let open = (0..<leaf.box.dimension).filter { leaf.box.upper[$0] > leaf.box.lower[$0] }
        if choice == .smear, let j = open.max(by: { leaf.smear[$0] < leaf.smear[$1] }), leaf.smear[j] > 0 { return j }
        return open.max {
            (leaf.box.upper[$0] - leaf.box.lower[$0]) / (root.upper[$0] - root.lower[$0])
                < (leaf.box.upper[$1] - leaf.box.lower[$1]) / (root.upper[$1] - root.lower[$1])
        }
    }
}

/// One leaf of the refinement: its box, bounds and split scores, ordered by its worst bound.
private struct Leaf: Comparable {
    var box: Box
    var bounds: DifferenceBounds
    var smear: [Double]
    var worst: Double { bounds.worst }

    static func < (a: Leaf, b: Leaf) -> Bool { a.worst < b.worst }
    static func == (a: Leaf, b: Leaf) -> Bool { a.worst == b.worst }
}
