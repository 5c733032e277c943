

/// How input-split branch and bound scores the dimensions it may bisect.
public enum InputSplitRule: String, Sendable, CaseIterable {
    /// ``InputSmear``: the input coefficients of the node's linear bound times the widths.
    case coefficients
    /// ``Branching/InputGradientSmear``: interval bounds on the partial derivatives times the widths (ReluVal).
    /// The default.
    case gradient

    /// The width-balance factor that worked best with the rule on ACAS Xu samples (30 s cap, docs/benchmarks.md):
    /// the coefficient scores need it (17 instances: 32 → 91 s total, 5 timeouts without it); the gradient scores
    /// do better without (26 instances: 8 → 312 s, none → 143 s).
    public var defaultBalance: Double {
        switch self {
        case .coefficients: InputSmear().balance
        case .gradient: .infinity
        }
    }
}
