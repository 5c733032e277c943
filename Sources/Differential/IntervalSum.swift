import Tensor

/// An interval `[lower, upper]` accumulated as a sum of interval terms in Float64, that knows whether its
/// computation rounded.
///
/// A term that is exactly zero (a zero weight, or a zero weight difference, or a `[0, 0]` interval) is skipped,
/// so it neither changes the sum nor counts as rounding. The sum is exact when it holds at most one term and
/// that term was computed exactly; only then is ``bounds(margins:)`` unwidened. Otherwise the sum is widened
/// outward by `margins.widening(S)`, `S` the total magnitude of the terms (the rounding of each product and
/// addition is below `2⁻⁵³` of it per operation).
struct IntervalSum {
    private(set) var lower = 0.0
    private(set) var upper = 0.0
    private var magnitude = 0.0
    private var terms = 0
    private var inexact = false

    /// Adds `w · [l, u]`, skipped when `w = 0` or `l = u = 0` (the term is then exactly 0).
    @inline(__always)
    mutating func add(weight w: Double, lower l: Double, upper u: Double) {
        guard w != 0, l != 0 || u != 0 else { return }
        let a = w * l, b = w * u
        if w > 0 { lower += a; upper += b } else { lower += b; upper += a }
        magnitude += abs(w) * max(abs(l), abs(u))
        terms += 1
        inexact = true
    }

    /// Adds the constant `a − b`, skipped when it is exactly 0; exact when the Float64 subtraction is (checked
    /// by the error-free TwoSum transformation).
    mutating func addDifference(_ a: Double, _ b: Double) {
        let s = a - b
        guard s != 0 else { if a != b { inexact = true }; return }
        lower += s
        upper += s
        magnitude += abs(a) + abs(b)
        terms += 1
        let bb = s - a, err = (a - (s - bb)) + (-b - bb)
        if err != 0 || !s.isFinite { inexact = true }
    }

    /// The accumulated interval, widened outward unless it was computed exactly; NaN is read as unbounded.
    func bounds(margins: SoundnessMargins) -> (lower: Double, upper: Double) {
        let pad = inexact || terms > 1 ? margins.widening(magnitude) : 0
        let l = lower - pad, u = upper + pad
        return (l.isNaN ? -.infinity : l, u.isNaN ? .infinity : u)
    }
}
