public import Comparison
public import Reporting

/// What a sweep measured at one compression level.
public struct SweepPoint: Sendable, Codable, Hashable {
    /// The level's label, e.g. `prune 0.3`.
    public var level: String
    /// The swept parameter's value.
    public var value: Double
    /// Bytes of the compressed weights as stored (bits per weight as the steps produced them).
    public var bytes: Int
    /// Weights that are not zero (what a sparse format stores; pruning lowers this, not ``bytes``).
    public var nonzeroWeights: Int
    /// Original bytes over compressed bytes.
    public var compressionRatio: Double
    /// Each property's outcome, in the order given.
    public var properties: [String: Preservation]
    /// Certified Lipschitz bound of the compressed network, when computed.
    public var lipschitz: Double?
    /// Its ratio to the original's bound.
    public var lipschitzRatio: Double?
    /// The worst certified bound on `|g − f|` over all properties' boxes and outputs.
    public var maxDifference: Double?
    /// The largest `|g − f|` an attack found there (a lower bound on the true maximum).
    public var attackedDifference: Double?
    /// The fraction of sampled inputs (uniform in the properties' boxes) where both networks decide alike.
    public var agreement: Double?
    /// The gate's outcome at this level, when a policy was given.
    public var gate: RunReport.Outcome?
    /// Wall-clock seconds the level took (compression and every check).
    public var seconds: Double

    /// The number of properties with `outcome`.
    public func count(_ outcome: Preservation) -> Int { properties.values.count { $0 == outcome } }

    /// Properties whose guarantee holds on the compressed network (preserved or gained).
    public var proven: Int { count(.preserved) + count(.gained) }
}
