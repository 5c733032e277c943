public import Verifier

/// A verdict in the VNN-COMP words that instance lists, expected-verdict files and suite reports use.
///
/// The suite's reports are read by VNN-COMP tooling and CI, so its module speaks these words (the command line's
/// `verify` maps ``Verdict`` to the same words).
public enum SuiteVerdict: String, Sendable, Hashable, CaseIterable {
    /// The property is violated (a confirmed counterexample).
    case sat
    /// The property holds (proven).
    case unsat
    /// The time limit ran out.
    case timeout
    /// The search could not decide.
    case unknown

    /// The word for a verifier's verdict.
    public init(_ verdict: Verdict) {
        switch verdict {
        case .violated: self = .sat
        case .proven: self = .unsat
        case .timeout: self = .timeout
        case .unknown: self = .unknown
        }
    }

    /// Whether the verdict decides the property (`sat` or `unsat`).
    public var isDecided: Bool { self == .sat || self == .unsat }
}
