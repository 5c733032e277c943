import Bounds

/// A rule that scores the splittable ReLU neurons of a branch-and-bound node; the best-scoring one is split.
///
/// Conformers implement only ``scores(_:candidates:)``; masking (never a stable or already split neuron) and
/// top-k selection are shared.
public protocol BranchingHeuristic: Sendable {
    /// One score per candidate (same order); larger is better. Non-finite scores rank last.
    func scores(_ context: BranchingContext, candidates: [ReLUNeuron]) -> [Double]
}

extension BranchingHeuristic {
    /// The `k` best candidates of `context`, best first (ties broken by layer, then neuron).
    public func ranked(_ context: BranchingContext, top k: Int) -> [ReLUNeuron] {
        let candidates = context.candidates
        guard !candidates.isEmpty, k > 0 else { return [] }
        return Self.top(k, of: candidates, scores: scores(context, candidates: candidates))
    }

    /// The neuron to split, or `nil` when every neuron is stable or split.
    public func choose(_ context: BranchingContext) -> ReLUNeuron? { ranked(context, top: 1).first }

    /// The `k` best of `candidates` by `scores` (NaN ranks last), best first.
    static func top(_ k: Int, of candidates: [ReLUNeuron], scores: [Double]) -> [ReLUNeuron] {
        let key = scores.map { $0.isNaN ? -Double.infinity : $0 }
        let order = candidates.indices.sorted { a, b in
            key[a] != key[b] ? key[a] > key[b] : candidates[a] < candidates[b]
        }
        return order.prefix(k).map { candidates[$0] }
    }
}

/// The branching heuristics, by name (for option parsing).
public enum BranchingChoice: String, Sendable, CaseIterable {
    /// ``BaBSR``.
    case babsr
    /// ``FilteredSmartBranching``.
    case fsb

    /// The heuristic with default settings.
    public var heuristic: any BranchingHeuristic {
        switch self {
        case .babsr: BaBSR()
        case .fsb: FilteredSmartBranching()
        }
    }
}
