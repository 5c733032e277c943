public import Differential
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
    /// How much input splitting each case's `|g − f|` bound may spend, and the attack giving its lower end.
    public var difference: DifferenceBudget
    /// How a classifier decides, for the decision-equivalence check; nil skips the check.
    public var decision: DecisionRule?
    /// Time limit in seconds of each decision-equivalence search (one per case).
    public var decisionTimeout: Double
    /// Start each verification of the compressed network from the original's proof of the same property
    /// (``Verifier/Verifier/verify(_:reusing:)``). Default true.
    public var reusesProofs = true
    /// A cache of proofs across runs (``Verifier/ProofCache``): a network and property verified before are
    /// replayed, and decided runs are stored. Default nil (no cache).
    public var proofCache: ProofCache?

    /// Options with every field defaulted: the verifier's defaults, LipSDP-neuron with a 20 s limit, difference
    /// bounds refined for up to 10 s per case (stopping within 2× of the attacked value), argmax decisions with a
    /// 30 s limit.
    public init(
        verification: VerificationOptions = VerificationOptions(), lipschitzMethod: LipschitzMethod? = .lipsdpNeuron,
        lipschitz: LipschitzOptions = ComparisonOptions.defaultLipschitzOptions,
        difference: DifferenceBudget = DifferenceBudget(maxLeaves: 100_000, timeLimit: 10),
        decision: DecisionRule? = .argmax, decisionTimeout: Double = 30
    ) {
        self.verification = verification
        self.lipschitzMethod = lipschitzMethod
        self.lipschitz = lipschitz
        self.difference = difference
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
