/// The comparison of an original network with its compressed copy: every property on both, the difference of
/// their outputs, their Lipschitz bounds.
public struct NetworkComparison: Sendable {
    /// One entry per property, in the order given.
    public var properties: [PropertyComparison]
    /// Lipschitz bounds of both networks; nil when not requested.
    public var lipschitz: LipschitzComparison?

    /// The number of properties with each outcome.
    public var counts: [Preservation: Int] {
        properties.reduce(into: [:]) { $0[$1.preservation, default: 0] += 1 }
    }

    /// The properties whose guarantee compression lost (proven before, violated now).
    public var lost: [PropertyComparison] { properties.filter { $0.preservation == .lost } }

    /// The worst certified bound on `|g − f|` over all properties' boxes and outputs.
    public var worstDifference: Double? {
        properties.flatMap(\.differences).map(\.worstCertified).max()
    }
}
