/// The outcome of a refined difference computation: the certified bounds, the attacked lower bound beside them,
/// and what the refinement spent.
public struct DifferenceRefinement: Sendable, Hashable {
    /// Why the refinement stopped.
    public enum Stop: String, Sendable, Hashable, Codable {
        /// Every leaf's bound is exactly 0: nothing left to refine.
        case exact
        /// The certified bound reached the target ratio of the attacked one.
        case target
        /// The leaf budget was used up.
        case leaves
        /// The time limit passed.
        case time
        /// Branch and bound proved the target ratio of the attacked bound after the refinement stopped short of it
        /// (``DifferenceCertifier`` in the Comparison module).
        case proof
    }

    /// The certified bounds: the union of the leaves' bounds (naive bound: the unsplit one).
    public var bounds: DifferenceBounds
    /// The attacked lower bound, when the budget had an attack.
    public var attack: DifferenceAttack.Result?
    /// Number of leaves the box ended in.
    public var leaves: Int
    /// Wall-clock seconds of the refinement (without the attack).
    public var seconds: Double
    /// Why it stopped.
    public var stop: Stop
    /// The analysis that bounded each leaf.
    public var method: Method
    /// How many of the splits were ReLU phase splits (the others bisected the box).
    public var reluSplits: Int = 0
    /// CROWN's unsplit bound on the product network `x ↦ g(x) − f(x)` over the box, when the refinement computed
    /// it (``DifferenceBounds/productNetwork(original:compressed:over:margins:)``'s result: the root of a
    /// product-network refinement, or what a difference-propagated root was intersected with); nil otherwise.
    public var productNetwork: DifferenceBounds?

    /// How the leaves were bounded.
    public enum Method: String, Sendable, Hashable, Codable {
        /// Difference propagation (one layer structure, or a structured pruning aligned to it).
        case differencePropagation = "difference-propagation"
        /// CROWN on the product network `x ↦ g(x) − f(x)` (networks of different structure).
        case productNetwork = "product-network"
    }

    /// The largest certified `max |g_i − f_i|` over the outputs.
    public var certifiedWorst: Double { bounds.maxAbsolute.max() ?? 0 }

    /// `certifiedWorst / attack.worst` (1 when both are 0; nil without an attack or when only the attack is 0).
    public var ratio: Double? {
        guard let a = attack?.worst else { return nil }
        if a == 0 { return certifiedWorst == 0 ? 1 : nil }
        return certifiedWorst / a
    }
}
