public import LipschitzSDP
public import Verifier

/// What a comparison needs to know about the original network, computed once (``Comparator/baseline(original:properties:progress:)``)
/// and reused for every compressed copy compared with it — a sweep's levels, a gate's re-runs.
public struct ComparisonBaseline: Sendable {
    /// The original network.
    public var original: ComparedNetwork
    /// The properties, in the order given.
    public var properties: [ComparedProperty]
    /// The original's verification result per property (with its search trace, for proof reuse).
    public var verifications: [VerificationResult]
    /// The original's certified Lipschitz bound, or why there is none; nil when not requested.
    public var lipschitz: Result<LipschitzResult, LipschitzFailure>?

    /// The baseline of `original` from results computed elsewhere.
    public init(
        original: ComparedNetwork, properties: [ComparedProperty], verifications: [VerificationResult],
        lipschitz: Result<LipschitzResult, LipschitzFailure>?
    ) {
        precondition(verifications.count == properties.count, "one verification result per property")
        self.original = original
        self.properties = properties
        self.verifications = verifications
        self.lipschitz = lipschitz
    }
}
