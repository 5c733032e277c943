import HeapModule
public import Network
public import Tensor

extension DifferenceBounds {
    /// True when every leaf of a best-first input (or ReLU) splitting of `box` has certified bounds that `closes` accepts,
    /// within `budget` (its leaf and time limits; its attack and target ratio are not used).
    ///
    /// The refinement is ``compute(original:compressed:over:budget:margins:)``'s (difference propagation, or the
    /// product network for pairs of different structure; splits by `budget.splitChoice`), except that a leaf whose
    /// bounds `closes` is set aside instead of refined, and the worst open leaf is split next. `closes` must be
    /// monotone: bounds inside accepted bounds are accepted (true of "every row is refuted by these intervals").
    /// - Returns: false when a limit is reached with a leaf still open, or a leaf cannot be bounded.
    public static func prove(
        original f: Network, compressed g: Network, over box: Box, budget: DifferenceBudget,
        margins: SoundnessMargins = SoundnessMargins(), closes: (DifferenceBounds) -> Bool
    ) -> Bool {
        guard let bounder = try? LeafBounder.make(original: f, compressed: g, box: box),
              let root = try? bounder.bound(box, margins: margins)
        else { return false }
        if closes(root.bounds) { return true }
        let start = ContinuousClock.now
        var open = Heap([Leaf(box: box, analysis: root)])
        var leaves = 1
        while let worst = open.popMax() {
            guard leaves < budget.maxLeaves else { return false }
            if let t = budget.timeLimit, (ContinuousClock.now - start).seconds >= t { return false }
            guard let decision = splitDecision(worst, root: box, budget.splitChoice),
                  let children = try? split(worst, decision, bounder, margins)
            else { return false }
            leaves += 1
            for child in children where !closes(child.bounds) { open.insert(child) }
        }
        return true
    }
}
