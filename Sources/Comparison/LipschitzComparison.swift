public import LipschitzSDP

/// Certified ℓ₂ Lipschitz bounds of both networks.
public struct LipschitzComparison: Sendable, Hashable {
    /// The original's bound, or why there is none.
    public var original: Result<LipschitzResult, LipschitzFailure>
    /// The compressed network's bound, or why there is none.
    public var compressed: Result<LipschitzResult, LipschitzFailure>

    /// `compressed / original` when both bounds exist.
    public var ratio: Double? {
        guard case .success(let f) = original, case .success(let g) = compressed, f.bound > 0 else { return nil }
        return g.bound / f.bound
    }
}

/// Why a Lipschitz bound is missing (an unsupported layer, a solver limit).
public struct LipschitzFailure: Error, Sendable, Hashable {
    /// The reason, one line.
    public var reason: String
}
