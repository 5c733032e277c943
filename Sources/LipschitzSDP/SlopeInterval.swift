import Network

/// The range of slopes of an activation over a pre-activation interval.
struct SlopeInterval {
    var lower: Double
    var upper: Double

    /// Slopes of `kind` on [l, u]: ReLU gives [1,1] when l ≥ 0, [0,0] when u ≤ 0, else [0,1]; sigmoid and
    /// tanh (derivatives unimodal with the peak at 0) give [min at the endpoints, max over the interval].
    static func of(_ kind: Layer, lower l: Double, upper u: Double) -> SlopeInterval {
        switch kind {
        case .relu:
            if l >= 0 { return SlopeInterval(lower: 1, upper: 1) }
            if u <= 0 { return SlopeInterval(lower: 0, upper: 0) }
            return SlopeInterval(lower: 0, upper: 1)
        case .sigmoid, .tanh:
            let f: SmoothActivation = kind == .sigmoid ? .sigmoid : .tanh
            let d = f.derivative
            let peak = (l <= 0 && u >= 0) ? d(0) : max(d(l), d(u))
            // A small relative widening absorbs the rounding of exp/tanh.
            return SlopeInterval(lower: max(0, min(d(l), d(u)) * (1 - 1e-12)), upper: peak * (1 + 1e-12))
        default:
            return SlopeInterval(lower: 0, upper: 1)
        }
    }
}
