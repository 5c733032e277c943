/// The branching heuristics selectable on the command line (`--branching`).
public enum BranchingChoice: String, Sendable, CaseIterable {
    /// ``BaBSR``: the bound-improvement estimate from back-substituted coefficients. The default.
    case babsr
    /// ``FSB``: BaBSR's top candidates re-scored by actual child bounds.
    case fsb
    /// ``WidestInterval``: the unstable neuron with the widest pre-activation interval (a simple baseline).
    case widest

    /// A heuristic instance.
    public func makeHeuristic() -> any BranchingHeuristic {
        switch self {
        case .babsr: BaBSR()
        case .fsb: FSB()
        case .widest: WidestInterval()
        }
    }
}
