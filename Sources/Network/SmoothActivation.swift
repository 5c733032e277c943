import Foundation

/// The S-shaped activations as scalar functions: the one definition of sigmoid and tanh, and of their
/// derivatives, shared by evaluation and gradients (``Layer``), their bound rules (Bounds) and their slope ranges
/// (LipschitzSDP).
public enum SmoothActivation: Sendable, Hashable {
    /// `σ(x) = 1 / (1 + e^(−x))`.
    case sigmoid
    /// `tanh(x)`.
    case tanh

    /// `f(x)`.
    public func value(_ x: Double) -> Double {
        switch self {
        case .sigmoid: 1 / (1 + exp(-x))
        case .tanh: Foundation.tanh(x)
        }
    }

    /// `f′(x)`: `σ(x)·(1 − σ(x))` or `1 − tanh²(x)`; even, unimodal, largest at 0.
    public func derivative(_ x: Double) -> Double {
        switch self {
        case .sigmoid:
            let s = value(x)
            return s * (1 - s)
        case .tanh:
            let t = value(x)
            return 1 - t * t
        }
    }
}
