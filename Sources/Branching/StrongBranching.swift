public import Bounds

/// Strong branching: bound both children of every candidate with the node's own bounding (intermediate bounds
/// by CROWN from the split layer on, the objective by the node's bound method) and score the candidate by how
/// much its worse child improves on the node. The expert a learned heuristic imitates, and a baseline; far too
/// slow to use on large networks, so ``candidateLimit`` can restrict it to BaBSR's best candidates.
///
/// A child's margin is clipped at the threshold (a child that closes counts as margin 0: proving it is all that
/// matters) and an infeasible child counts as closed. The score is the worse child's improvement over the
/// node's margin on the same rows, plus a thousandth of the two children's total improvement to break ties.
public struct StrongBranching: BranchingHeuristic {
    /// Evaluate only BaBSR's best this many candidates (the rest score below all evaluated ones); nil: all.
    public var candidateLimit: Int?

    /// A strong-branching heuristic.
    public init(candidateLimit: Int? = nil) { self.candidateLimit = candidateLimit }

    /// The strong-branching score of each evaluated candidate, or BaBSR's score minus 10¹² for the others (beyond
    /// ``candidateLimit``, or left when the context's deadline passed: candidates are evaluated in BaBSR's order).
    public func score(_ candidates: [NeuronID], context: BranchingContext) -> [Double] {
        var scores = BaBSR().score(candidates, context: context).map { $0 - 1e12 }
        let evaluated = candidateLimit.map { topK(scores, $0) } ?? topK(scores, candidates.count)
        for i in evaluated {
            if context.isPastDeadline { break }  // the rest keep BaBSR's order, below every evaluated candidate
            scores[i] = improvement(splitting: candidates[i], context: context)
        }
        return scores
    }

    /// The strong-branching score of one candidate: `min(child margins) − node margin`, children clipped at 0.
    public func improvement(splitting neuron: NeuronID, context: BranchingContext) -> Double {
        var children = context.children
        children.method = context.evaluation.method
        let parent = Self.nodeMargin(context)
        let margins = [true, false].map { Swift.min(0, children.worstMargin(splitting: neuron, active: $0)) }
        let worse = margins.min()!, total = margins.reduce(0, +)
        guard worse.isFinite, parent.isFinite else { return worse.isNaN ? -.infinity : 0 }
        return (worse - parent) + 1e-3 * (total - 2 * parent)
    }

    /// The node's worst margin over the rows the children are bounded on (clipped at 0 like the children's).
    static func nodeMargin(_ context: BranchingContext) -> Double {
        let m = zip(context.objectiveRows, context.children.thresholds).map { context.evaluation.lower[$0] - $1 }
        return Swift.min(0, m.min() ?? 0)
    }
}
