public import Bounds
public import Tensor

/// Input splitting by "smear" (Bunel et al. 2020; the bound-based variant): coordinate `j` scores
/// `Σ_rows |a_rj|·(u_j − l_j)`, where `a_r` are the input coefficients of the node's linear lower bounds — the
/// amount by which coordinate `j`'s width loosens the bound. The best coordinate is bisected.
public struct InputSmear: Sendable {
    /// The rule (no settings).
    public init() {}

    /// One score per input coordinate.
    public func scores(box: Box, bound: LinearBoundResult, rows: [Int]) -> [Double] {
        let widths = box.widths
        return (0..<box.dimension).map { j in
            let weight = rows.reduce(0.0) { $0 + abs(bound.inputCoefficients[$1, j]) }
            return weight * widths[j]
        }
    }

    /// The coordinate to bisect (largest score; lowest index on ties), or `nil` when every score is 0 or the box
    /// has no width left.
    public func choose(box: Box, bound: LinearBoundResult, rows: [Int]) -> Int? {
        let s = scores(box: box, bound: bound, rows: rows)
        guard let best = s.indices.max(by: { s[$0] < s[$1] || (s[$0] == s[$1] && $0 > $1) }), s[best] > 0 else {
            return nil
        }
        return best
    }
}
