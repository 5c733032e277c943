import Comparison

/// The result of a sweep: one ``SweepPoint`` per level, the original's reference values, and which levels are
/// worth choosing.
public struct SweepResult: Sendable, Codable, Hashable {
    /// The swept parameter.
    public var axis: SweepLevel.Axis
    /// The property names, in the order given.
    public var propertyNames: [String]
    /// The original's verdict per property (`proven`, `violated`, `undecided`).
    public var originalVerdicts: [String: String]
    /// The original's certified Lipschitz bound, when computed.
    public var originalLipschitz: Double?
    /// The original's weight bytes (float32).
    public var originalBytes: Int
    /// One point per level, in the order given.
    public var points: [SweepPoint]

    /// The levels (indices into ``points``) no other level beats on every count at once: fewer bytes, fewer
    /// non-zero weights, more properties proven, a smaller certified `max |g − f|`, a higher agreement (a missing
    /// bound counts as the worst value). Each is a trade-off worth considering; the others are dominated.
    public var paretoBest: [Int] {
        points.indices.filter { i in !points.indices.contains { j in Self.dominates(points[j], points[i]) } }
    }

    /// The most compressed level along the axis (the largest pruning fraction, the fewest bits, rank or
    /// clusters) that loses no property — and passes the gate, when a policy was given — or nil if none does.
    public var recommended: Int? {
        let acceptable = points.indices.filter { i in
            points[i].count(.lost) == 0 && (points[i].gate.map { $0 == .passed } ?? true)
        }
        return axis.largerCompressesMore
            ? acceptable.max { points[$0].value < points[$1].value }
            : acceptable.min { points[$0].value < points[$1].value }
    }

    /// Whether `a` is at least as good as `b` on every objective and strictly better on one.
    static func dominates(_ a: SweepPoint, _ b: SweepPoint) -> Bool {
        let ka = objectives(a), kb = objectives(b)
        return zip(ka, kb).allSatisfy { $0 <= $1 } && zip(ka, kb).contains { $0 < $1 }
    }

    /// The objectives as values to minimise.
    private static func objectives(_ p: SweepPoint) -> [Double] {
        [Double(p.bytes), Double(p.nonzeroWeights), -Double(p.proven), p.maxDifference ?? .infinity, -(p.agreement ?? 0)]
    }
}
