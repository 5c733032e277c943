public import Verifier

/// One property checked on both networks.
public struct PropertyComparison: Sendable {
    /// The property's name.
    public var name: String
    /// Verification of the original.
    public var original: VerificationResult
    /// Verification of the compressed network.
    public var compressed: VerificationResult
    /// What compression did to the property.
    public var preservation: Preservation
    /// Bounds on `|g − f|` over each case's box.
    public var differences: [CaseDifference]
    /// Decision equivalence on each case's box; empty when not checked.
    public var decisions: [DecisionEquivalence]

    /// The compressed network's counterexample when the property was ``Preservation/lost``.
    public var lostCounterexample: Counterexample? {
        guard preservation == .lost, case .violated(let cex) = compressed.verdict else { return nil }
        return cex
    }
}
