public import Bounds
public import Tensor

/// Input splitting by "smear" (Bunel et al. 2020; the bound-based variant): coordinate `j` scores
/// `Σ_rows |a_rj|·(u_j − l_j)`, where `a_r` are the input coefficients of the node's linear lower bounds — the
/// amount by which coordinate `j`'s width loosens the bound. The best coordinate is bisected, unless the widths
/// have drifted out of balance (below).
///
/// The coefficients see only the linear part of the bound, not what the relaxation of unstable neurons loses
/// along a coordinate, so a coordinate the bound is flat in can stay wide forever while the others are cut to
/// slivers (ACAS Xu 2_2, property 1: 30,000 nodes without a verdict). When a `rootBox` is given, a coordinate whose
/// width relative to the root is more than ``balance`` times that of the smear's choice is bisected instead.
public struct InputSmear: Sendable {
    /// The largest ratio of relative widths tolerated before the relatively widest coordinate is bisected.
    /// Default 32 (ACAS Xu sample of 17 instances, 30 s each: 4 → 196 s, 8 → 147 s, 16 → 112 s, 32 → 91 s,
    /// 64 → 94 s; without the rule 5 of them time out). `.infinity` turns the rule off.
    public var balance: Double

    /// The rule with a width-balance factor.
    public init(balance: Double = 32) {
        self.balance = balance
    }

    /// One score per input coordinate.
    public func scores(box: Box, bound: LinearBoundResult, rows: [Int]) -> [Double] {
        let widths = box.widths
        return (0..<box.dimension).map { j in
            let weight = rows.reduce(0.0) { $0 + abs(bound.inputCoefficients[$1, j]) }
            return weight * widths[j]
        }
    }

    /// The coordinate to bisect, or `nil` when the box has no width left.
    ///
    /// The largest score (lowest index on ties; the widest coordinate when every score is 0), replaced by the
    /// relatively widest coordinate when that is more than ``balance`` times relatively wider than the choice.
    /// - Parameter rootBox: the box the search started from (the property's), for relative widths.
    public func choose(box: Box, bound: LinearBoundResult, rows: [Int], rootBox: Box? = nil) -> Int? {
        choose(scores: scores(box: box, bound: bound, rows: rows), box: box, rootBox: rootBox)
    }

    /// The same choice for scores from another rule (``InputGradientSmear``).
    public func choose(scores s: [Double], box: Box, rootBox: Box? = nil) -> Int? {
        let widths = box.widths
        guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 0 else { return nil }
        guard let best = s.indices.max(by: { s[$0] < s[$1] || (s[$0] == s[$1] && $0 > $1) }), s[best] > 0 else {
            return widest
        }
        guard let rootBox, rootBox.dimension == box.dimension else { return best }
        let root = rootBox.widths
        let relative = widths.indices.map { root[$0] > 0 ? widths[$0] / root[$0] : 0 }
        guard let relativelyWidest = relative.indices.max(by: { relative[$0] < relative[$1] }) else { return best }
        return relative[best] * balance < relative[relativelyWidest] ? relativelyWidest : best
    }
}
