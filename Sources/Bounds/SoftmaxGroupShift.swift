import Tensor

/// The one linear identity a softmax layer adds to back-substitution: its outputs sum to 1 in every group, so
/// `c·y = λ + (c − λ·1)·y` over a group for any `λ`. Per row and group, `λ` is chosen among the group's own
/// coefficients to maximise the interval lower bound `λ + Σ_k min((c_k − λ)·[l_k, u_k])` of the output; it is used
/// only when that beats `λ = 0`. "Y_0 + Y_1 ≤ 1" then follows from any bounds, which the per-output relaxation
/// alone never shows.
struct SoftmaxGroupShift: Sendable {
    /// Elements per group.
    let size: Int
    /// Bounds of the layer's output.
    let output: Box

    /// Groups larger than this are left unshifted (the choice costs `size²` per row and group).
    static let maximumSize = 1024

    /// The interval lower bound of `λ + (c − λ)·y` over the group starting at `start`, for row coefficients `c`.
    private func score(_ c: UnsafeBufferPointer<Double>, start: Int, lambda: Double) -> Double {
        var total = lambda
        for k in start..<(start + size) {
            let d = c[k] - lambda
            total += d >= 0 ? d * output.lower[k] : d * output.upper[k]
        }
        return total
    }

    /// Shifts every row's coefficients on each group by its best `λ`, adding `λ` to the row's constant and
    /// `|λ| + Σ|c_k|` (the outputs lie in [0, 1]) to its rounding magnitude.
    func shift(_ lambda: inout Matrix, constant: inout [Double], magnitude: inout [Double]) {
        guard size > 1, size <= Self.maximumSize else { return }
        let n = lambda.columns
        for r in 0..<lambda.rows {
            lambda.storage.withUnsafeMutableBufferPointer { all in
                let row = UnsafeMutableBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)])
                let c = UnsafeBufferPointer(row)
                for start in stride(from: 0, to: n, by: size) {
                    var best = 0.0, bestScore = score(c, start: start, lambda: 0)
                    for k in start..<(start + size) where c[k] != 0 {
                        let s = score(c, start: start, lambda: c[k])
                        if s > bestScore { (best, bestScore) = (c[k], s) }
                    }
                    guard best != 0, bestScore.isFinite else { continue }
                    var absolute = 0.0
                    for k in start..<(start + size) {
                        absolute += Swift.abs(row[k])
                        row[k] -= best
                    }
                    constant[r] += best
                    magnitude[r] += Swift.abs(best) + absolute
                }
            }
        }
    }
}
