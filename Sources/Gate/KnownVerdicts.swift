public import Comparison
public import VNNLib
public import Verifier

/// Verdicts already decided on a gate's two networks, by property: a property check takes a decided verdict from
/// here instead of verifying again (`nncert sweep --policy`, whose comparison at each level has just verified every
/// property on both networks). Only ``Verifier/Verdict/proven`` and ``Verifier/Verdict/violated(_:)`` are kept —
/// a proof of the same network and property, or a counterexample the witness check confirmed on it, stands
/// whatever time limit produced it; a timeout or unknown is verified again within the check's own limit.
public struct KnownVerdicts: Sendable {
    /// Decided results on the original network.
    public private(set) var original: [Specification: VerificationResult] = [:]
    /// Decided results on the compressed network.
    public private(set) var compressed: [Specification: VerificationResult] = [:]

    /// None known.
    public init() {}

    /// The decided verdicts of `comparison` (the compressed network against `baseline`'s original), matched to
    /// their properties by name.
    public init(_ comparison: NetworkComparison, baseline: ComparisonBaseline) {
        let specifications = Dictionary(
            baseline.properties.map { ($0.name, $0.specification) }, uniquingKeysWith: { a, _ in a })
        for property in comparison.properties {
            guard let specification = specifications[property.name] else { continue }
            if Self.isDecided(property.original) { original[specification] = property.original }
            if Self.isDecided(property.compressed) { compressed[specification] = property.compressed }
        }
    }

    private static func isDecided(_ result: VerificationResult) -> Bool {
        switch result.verdict {
        case .proven, .violated: true
        case .timeout, .unknown: false
        }
    }
}
