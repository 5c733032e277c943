public import Comparison
public import Gate
public import VNNLib
import Verifier

/// Settings of a sweep.
public struct SweepOptions: Sendable {
    /// Settings of each level's comparison with the original. The sweep's defaults are lighter than `compare`'s:
    /// the compositional Lipschitz bound (deterministic and quick, so ratios between levels are comparable; LipSDP
    /// stopped after a few seconds is not), difference bounds limited to 2 s per box, no decision-equivalence
    /// search (``agreementSamples`` estimates agreement instead).
    public var comparison: ComparisonOptions
    /// How the networks decide, for the sampled agreement.
    public var decision: DecisionRule
    /// Inputs sampled per level for the agreement (0 skips it).
    public var agreementSamples: Int
    /// Seed of the sampled inputs (the same inputs at every level).
    public var seed: UInt64
    /// A gate to run at every level, with its policy's properties parsed (``Gate/Gate/specifications()``); nil
    /// runs none. Its report per level becomes the sweep's checks and ``SweepPoint/gate``.
    public var gate: (gate: Gate, specifications: [String: Specification])?

    /// Options with the defaults above, argmax decisions and 2,000 samples.
    public init(
        comparison: ComparisonOptions = SweepOptions.defaultComparison, decision: DecisionRule = .argmax,
        agreementSamples: Int = 2000, seed: UInt64 = 0
    ) {
        self.comparison = comparison
        self.decision = decision
        self.agreementSamples = agreementSamples
        self.seed = seed
    }

    /// `ComparisonOptions` with compositional Lipschitz bounds (5 s limit), 2 s difference bounds, no
    /// decision-equivalence search and a 60 s verification limit.
    public static var defaultComparison: ComparisonOptions {
        var options = ComparisonOptions(
            verification: VerificationOptions(timeout: 60), lipschitzMethod: .compositional, decision: nil)
        options.lipschitz.timeLimit = 5
        options.difference.timeLimit = 2
        return options
    }
}
