/// One check a policy implies, at a fixed position of the run, so that `--shard K/N` splits every run of one policy
/// the same way.
///
/// The order is: one `property` check per listed property, then one `difference` check per file of
/// `difference.over` (by default per listed property), then the `lipschitz` check.
public struct GateCheck: Sendable, Hashable {
    /// What the check establishes.
    public enum Kind: Sendable, Hashable {
        /// The property must be proven on the compressed network (see ``GatePolicy/Requirement``).
        case property(GatePolicy.Property)
        /// `max |g − f|` over the file's boxes must be within the policy's limits.
        case difference(GatePolicy.Property)
        /// The compressed network's certified Lipschitz bound must be within the ratio of the original's.
        case lipschitz
    }

    /// The position in the unsharded run (0-based).
    public var index: Int
    /// What the check establishes.
    public var kind: Kind
    /// The check's time limit in seconds (before the total budget caps it).
    public var timeout: Double

    /// The report group: `property`, `difference` or `lipschitz`.
    public var group: String {
        switch kind {
        case .property: "property"
        case .difference: "difference"
        case .lipschitz: "lipschitz"
        }
    }

    /// The check's name within its group: the property's path as written in the policy, or `ratio`.
    public var name: String {
        switch kind {
        case .property(let p), .difference(let p): p.path
        case .lipschitz: "ratio"
        }
    }

    /// The checks of `policy`, in run order.
    public static func checks(of policy: GatePolicy) -> [GateCheck] {
        var kinds: [(Kind, Double)] = policy.properties.map { (.property($0), $0.timeout ?? policy.timeout) }
        if let difference = policy.difference {
            let own = !difference.over.isEmpty  // an `over` entry may carry its own timeout, a property's is its own
            kinds += policy.differenceRegions.map {
                (.difference($0), (own ? $0.timeout : nil) ?? difference.timeout ?? policy.timeout)
            }
        }
        if let lipschitz = policy.lipschitz { kinds.append((.lipschitz, lipschitz.timeout ?? policy.timeout)) }
        return kinds.enumerated().map { GateCheck(index: $0.offset, kind: $0.element.0, timeout: $0.element.1) }
    }
}
