/// How bounds are computed.
public enum BoundMethod: String, Sendable, CaseIterable {
    /// Interval arithmetic layer by layer (cheap, loose).
    case interval
    /// CROWN / DeepPoly linear back-substitution (Zhang et al. 2018, "Efficient neural network robustness
    /// certification with general activation functions"; Singh et al. 2019, "An abstract domain for certifying
    /// neural networks") with the adaptive ReLU lower slope.
    case crown
    /// CROWN with the ReLU lower slopes optimised by projected gradient ascent (alpha-CROWN; Xu et al. 2021,
    /// "Fast and complete: enabling complete neural network verification with rapid and massively parallel
    /// incomplete verifiers"). For intermediate bounds: CROWN, then alpha-CROWN on the neurons left unstable.
    case alphaCrown = "alpha-crown"
}
