public import Verifier

/// What compression did to one property, from the two verdicts.
///
/// A property *holds* when verification proves it (`unsat`). Only proofs and confirmed counterexamples count:
/// a timeout or `unknown` on either side makes the outcome ``undecided``.
public enum Preservation: String, Sendable, Hashable, CaseIterable, Codable {
    /// Proven on both networks.
    case preserved
    /// Proven on the original, violated on the compressed network (with a confirmed counterexample).
    case lost
    /// Violated on the original, proven on the compressed network.
    case gained
    /// Violated on both networks: there was no guarantee to keep.
    case violatedInBoth = "violated-in-both"
    /// At least one side is undecided (timeout or unknown).
    case undecided

    /// The outcome of two verdicts.
    public init(original: Verdict, compressed: Verdict) {
        switch (original, compressed) {
        case (.proven, .proven): self = .preserved
        case (.proven, .violated): self = .lost
        case (.violated, .proven): self = .gained
        case (.violated, .violated): self = .violatedInBoth
        default: self = .undecided
        }
    }
}
