/// A single-variable comparison `k·x op b` solved for `x`, with the quotient `b/k` rounded both ways.
///
/// `outer` is rounded away from the feasible side (proofs may use it: the set only grows), `inner` towards it
/// (a witness that satisfies it satisfies `k·x op b` exactly). The two differ only when `b/k` is inexact in
/// `Double`. `isOpen` is set only for an exact strict bound: an inexact strict bound is already met by the
/// inward-rounded value.
struct SolvedBound: Sendable, Hashable {
    /// Which side of `x` the bound limits.
    enum Side { case lower, upper }

    /// The side.
    var side: Side
    /// The bound rounded outward (for proofs).
    var outer: Double
    /// The bound rounded inward (for witnesses).
    var inner: Double
    /// True for an exact strict bound.
    var isOpen: Bool

    /// Solves `k·x op b` for `x` on `side` (the caller has turned the relation into a side: `k > 0` with `≤` is an
    /// upper bound, and so on). `k` must be finite and non-zero, `b` finite.
    init(side: Side, coefficient k: Double, bound b: Double, strict: Bool) {
        self.side = side
        let q = b / k
        guard q.isFinite else {
            // |b/k| exceeds Double's range: the true bound lies beyond ±greatestFiniteMagnitude.
            let edge = q > 0 ? Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude
            outer = side == .upper ? (q > 0 ? .infinity : edge) : (q < 0 ? -.infinity : edge)
            inner = side == .upper ? (q > 0 ? edge : -.infinity) : (q < 0 ? edge : .infinity)
            isOpen = false
            return
        }
        // sign(q − b/k) = sign(q·k − b)·sign(k); fma gives q·k − b with one rounding, so its sign is exact while
        // the difference is not in the subnormal range (b is then tiny and the rounding is treated as unknown).
        let residual = (-b).addingProduct(q, k)
        let signKnown = b == 0 || abs(b) >= 0x1p-900
        let s: Int  // sign of q − b/k: +1 when q overshoots, −1 when it falls short, 0 when exact
        if !signKnown {
            s = 2  // unknown: round both ways
        } else {
            s = residual == 0 ? 0 : ((residual > 0) == (k > 0) ? 1 : -1)
        }
        switch side {
        case .upper:
            outer = s == 0 || s == 1 ? q : q.nextUp
            inner = s == 0 || s == -1 ? q : q.nextDown
        case .lower:
            outer = s == 0 || s == -1 ? q : q.nextDown
            inner = s == 0 || s == 1 ? q : q.nextUp
        }
        isOpen = strict && s == 0
    }
}
