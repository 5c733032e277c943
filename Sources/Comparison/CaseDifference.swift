/// Certified and attacked bounds on `|g(x)_i − f(x)_i|` over one case's input box.
///
/// For every output `i`, the true maximum over the box lies in `[attacked[i], certified[i]]`.
public struct CaseDifference: Sendable, Hashable {
    /// How the certified bound was obtained.
    public enum Method: String, Sendable, Hashable, Codable {
        /// Difference propagation (networks of one layer structure), see `Differential.DifferenceBounds`.
        case differencePropagation = "difference-propagation"
        /// CROWN bounds of the product network `x ↦ g(x) − f(x)`, refined by input splitting (networks of
        /// different structure).
        case productNetwork = "product-network"
    }

    /// The case of the property.
    public var caseIndex: Int
    /// A certified upper bound on `max |g_i − f_i|` over the box, per output.
    public var certified: [Double]
    /// Which analysis gave ``certified``.
    public var method: Method
    /// The product network's own bound per output (CROWN on `g − f` over the unsplit box), beside the certified
    /// one; nil when the product network cannot be built.
    public var productNetwork: [Double]?
    /// The largest `|g_i − f_i|` found by attack, per output: a lower bound on the true maximum.
    public var attacked: [Double]
    /// The input that reached ``attacked``, per output.
    public var attackedInputs: [[Double]]

    /// The worst certified bound over the outputs.
    public var worstCertified: Double { certified.max() ?? 0 }
    /// The worst attacked value over the outputs.
    public var worstAttacked: Double { attacked.max() ?? 0 }
}
