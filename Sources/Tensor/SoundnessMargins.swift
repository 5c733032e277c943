/// The outward widening applied to every computed bound to cover floating-point rounding: bound propagation
/// (`Bounds`) and the LP certificates (`LinearProgramming`, `LPModel.certifiedLowerBound(duals:margins:)`) share it.
///
/// Every bound is computed in Float64. A bound `b` whose computation summed terms of total absolute magnitude
/// `S` (for back-substitution: `Σ_k |Λ_k|·(|W_k|·B_k + |b_k|)` over the layers, plus `|Λ_0|·max(|l|,|u|)` for
/// the input box, where `B_k` bounds the absolute value of layer `k`'s input) is reported as
/// `b − (relative·S + absolute)` (lower) or `b + (relative·S + absolute)` (upper). The rounding error of a
/// length-`n` dot product is at most `n·2⁻⁵³·S`, about `1e-12·S` for `n = 10⁴`; the default `relative = 1e-9`
/// leaves three orders of magnitude for accumulation across layers.
public struct SoundnessMargins: Sendable, Hashable {
    /// Relative widening, applied to the magnitude `S` of the summed terms. Default `1e-9`.
    public var relative: Double
    /// Absolute widening added to every bound. Default `1e-12`.
    public var absolute: Double

    /// Margins with the given values (defaults `relative = 1e-9`, `absolute = 1e-12`).
    public init(relative: Double = 1e-9, absolute: Double = 1e-12) {
        self.relative = relative
        self.absolute = absolute
    }

    /// The widening for terms of total magnitude `magnitude`.
    @inline(__always)
    public func widening(_ magnitude: Double) -> Double { relative * magnitude + absolute }
}
