import Bounds
import Tensor

/// Decides whether a set of search leaves covers a case: whether every input of the case's box, under every
/// combination of ReLU phases, lies in some leaf's box and agrees with the leaf's split decisions. What
/// ``Verifier/verify(_:startingFrom:)`` checks before it may prove anything from given leaves, so that a dropped
/// or tampered leaf can never yield `unsat`.
///
/// The check is exact: a region (box, splits) is covered when one leaf contains it; otherwise it is cut — at a
/// face of an overlapping leaf's box that lies inside the region, or by a split decision of an overlapping leaf
/// the region does not make yet — and both parts must be covered. Leaves that came from one branch-and-bound
/// tree are cut along that tree's own decisions, so the cost is about the tree's size times its depth.
struct LeafCover {
    /// A leaf: a box under split decisions.
    struct Piece {
        var box: Box
        var splits: SplitSet
    }

    /// True when `leaves` cover `root` under every ReLU phase.
    static func covers(_ leaves: [(box: Box, splits: SplitSet)], root: Box) -> Bool {
        covers(box: root, splits: SplitSet(), leaves.map { Piece(box: $0.box, splits: $0.splits) })
    }

    /// True when `pieces` cover the region `box` under `splits`.
    private static func covers(box: Box, splits: SplitSet, _ pieces: [Piece]) -> Bool {
        let relevant = pieces.filter { overlaps($0.box, box) && consistent($0.splits, splits) }
        if relevant.contains(where: { contains($0.box, box) && implied($0.splits, by: splits) }) { return true }
        // Cut the box at a face of an overlapping piece that lies strictly inside it.
        for piece in relevant {
            for d in 0..<box.dimension {
                for cut in [piece.box.lower[d], piece.box.upper[d]] where box.lower[d] < cut && cut < box.upper[d] {
                    var below = box, above = box
                    below.upper[d] = cut
                    above.lower[d] = cut
                    return covers(box: below, splits: splits, relevant) && covers(box: above, splits: splits, relevant)
                }
            }
        }
        // Every overlapping box contains the region: split a neuron some piece decides and the region does not.
        for piece in relevant {
            for split in piece.splits.splits where splits.state(layer: split.layer, neuron: split.neuron) == nil {
                return [true, false].allSatisfy { active in
                    covers(box: box, splits: splits.adding(ReLUSplit(split.id, isActive: active)), relevant)
                }
            }
        }
        return false
    }

    /// True when the boxes share more than a face (along a dimension where `region` has no width, `piece` must
    /// contain the region's value).
    private static func overlaps(_ piece: Box, _ region: Box) -> Bool {
        for d in 0..<region.dimension {
            if region.lower[d] == region.upper[d] {
                if !(piece.lower[d] <= region.lower[d] && region.upper[d] <= piece.upper[d]) { return false }
            } else if !(Swift.max(piece.lower[d], region.lower[d]) < Swift.min(piece.upper[d], region.upper[d])) {
                return false
            }
        }
        return true
    }

    private static func contains(_ piece: Box, _ region: Box) -> Bool {
        region.lower.indices.allSatisfy { piece.lower[$0] <= region.lower[$0] && region.upper[$0] <= piece.upper[$0] }
    }

    /// True when no neuron is decided one way in `a` and the other way in `b`.
    private static func consistent(_ a: SplitSet, _ b: SplitSet) -> Bool {
        a.splits.allSatisfy { s in b.state(layer: s.layer, neuron: s.neuron).map { $0 == s.isActive } ?? true }
    }

    /// True when every decision of `piece` is also made by `region`.
    private static func implied(_ piece: SplitSet, by region: SplitSet) -> Bool {
        piece.splits.allSatisfy { region.state(layer: $0.layer, neuron: $0.neuron) == $0.isActive }
    }
}
