public import LipschitzSDP
public import Verifier

/// Settings of a comparison between an original network and its compressed copy.
///
/// ```swift
/// var options = ComparisonOptions(verification: VerificationOptions(timeout: 30))
/// options.decision = .argmin   // ACAS Xu: the advisory is the lowest score
/// ```
public struct ComparisonOptions: Sendable {
    /// Settings of each verification run (one per property and network; the timeout applies to each run).
    public var verification: VerificationOptions
    /// The Lipschitz method for the bound of each network; nil skips the Lipschitz comparison.
    public var lipschitzMethod: LipschitzMethod?
    /// Settings of the Lipschitz solver.
    public var lipschitz: LipschitzOptions
    /// Input bisections per case when bounding `|g − f|` (more is tighter and slower).
    public var differenceSplits: Int
    /// How a classifier decides, for the decision-equivalence check; nil skips the check.
    public var decision: DecisionRule?
    /// Time limit in seconds of each decision-equivalence search (one per case).
    public var decisionTimeout: Double

    /// Options with every field defaulted: the verifier's defaults, LipSDP-neuron with a 20 s limit, 8 splits,
    /// argmax decisions with a 30 s limit.
    public init(
        verification: VerificationOptions = VerificationOptions(), lipschitzMethod: LipschitzMethod? = .lipsdpNeuron,
        lipschitz: LipschitzOptions = ComparisonOptions.defaultLipschitzOptions, differenceSplits: Int = 8,
        decision: DecisionRule? = .argmax, decisionTimeout: Double = 30
    ) {
        self.verification = verification
        self.lipschitzMethod = lipschitzMethod
        self.lipschitz = lipschitz
        self.differenceSplits = differenceSplits
        self.decision = decision
        self.decisionTimeout = decisionTimeout
    }

    /// The Lipschitz solver's defaults with a 20 s limit per network.
    public static var defaultLipschitzOptions: LipschitzOptions {
        var options = LipschitzOptions()
        options.timeLimit = 20
        return options
    }
}
