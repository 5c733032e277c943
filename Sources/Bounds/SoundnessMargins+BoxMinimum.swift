public import Tensor

extension SoundnessMargins {
    /// A certified lower bound of `a·x + constant` over the box `box`: the one concretisation of a linear bound
    /// over a box that back-substitution and the output-interval bound share.
    ///
    /// Each term takes the corner that minimises it (`a_j·lower_j` where `a_j ≥ 0`, else `a_j·upper_j`; terms
    /// with `a_j = 0` are skipped, so an infinite side with a zero coefficient costs nothing), and the sum is
    /// widened by ``widening(_:)`` of `magnitude + Σ_j |a_j|·max(|lower_j|, |upper_j|)`. The largest value of
    /// `a·x + constant` over the box is `−boxMinimum(of: −a, constant: −constant, …)`.
    ///
    /// - Parameters:
    ///   - coefficients: `a`, one per coordinate of `box`.
    ///   - constant: The constant term, already summed.
    ///   - magnitude: The total absolute magnitude of the terms summed into `constant` (at least `|constant|`),
    ///     for the soundness margin.
    ///   - box: The region.
    /// - Returns: The widened minimum, or −∞ where it is NaN or +∞ (a term `∞ − ∞`, or an unbounded box side).
    public func boxMinimum(of coefficients: ArraySlice<Double>, constant: Double, magnitude: Double, over box: Box)
        -> Double
    {
        precondition(coefficients.count == box.dimension, "coefficient count")
        var s = constant, m = magnitude
        // Over raw buffers: the hot loop of every back-substitution's concretisation (same terms, same order).
        coefficients.withUnsafeBufferPointer { a in
            box.lower.withUnsafeBufferPointer { lower in
                box.upper.withUnsafeBufferPointer { upper in
                    for j in 0..<a.count where a[j] != 0 {
                        let l = lower[j], u = upper[j], c = a[j]
                        s += c >= 0 ? c * l : c * u
                        m += Swift.abs(c) * Swift.max(Swift.abs(l), Swift.abs(u))
                    }
                }
            }
        }
        let bound = s - widening(m)
        return bound.isNaN || bound == .infinity ? -.infinity : bound
    }
}
