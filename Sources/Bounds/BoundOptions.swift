/// Options of ``BoundPropagator/lowerBounds(of:constants:over:intermediate:splits:options:)``.
public struct BoundOptions: Sendable, Hashable {
    /// Method for the objective bound. Default ``BoundMethod/alphaCrown``.
    public var method: BoundMethod
    /// Number of projected gradient steps on the ReLU lower slopes (alpha-CROWN) and split multipliers. Default 20;
    /// 0 gives CROWN.
    public var alphaIterations: Int
    /// Adam step size on the slopes (each slope lies in `[0, 1]`). Default 0.1.
    public var alphaLearningRate: Double
    /// With ``BoundMethod/alphaCrown`` and a non-empty split set: also optimise one Lagrange multiplier `β ≥ 0`
    /// per split neuron and objective row (beta-CROWN, Wang et al. 2021), which lets the split constraints
    /// tighten the bound beyond the clamped intermediate bounds. Default `true`.
    public var optimizeSplitMultipliers: Bool
    /// Adam step size on the split multipliers. Default 0.05.
    public var betaLearningRate: Double
    /// Multiplicative decay of the step size after every iteration. Default 0.98.
    public var alphaLearningRateDecay: Double
    /// Adam first-moment decay. Default 0.9.
    public var adamBeta1: Double
    /// Adam second-moment decay. Default 0.999.
    public var adamBeta2: Double
    /// Adam denominator guard. Default 1e-8.
    public var adamEpsilon: Double
    /// Bytes the optimised intermediate bounds may give one batch of neurons' slopes and coefficients; more
    /// neurons are optimised in several batches (the rows never interact: the same bounds, up to BLAS rounding).
    /// Default 64 MiB.
    public var slopeMemoryBudget: Int

    /// Options with the given values; every parameter has the documented default.
    public init(
        method: BoundMethod = .alphaCrown, alphaIterations: Int = 20, alphaLearningRate: Double = 0.1,
        alphaLearningRateDecay: Double = 0.98, optimizeSplitMultipliers: Bool = true, betaLearningRate: Double = 0.05,
        adamBeta1: Double = 0.9, adamBeta2: Double = 0.999,
        adamEpsilon: Double = 1e-8, slopeMemoryBudget: Int = 64 << 20
    ) {
        self.method = method
        self.alphaIterations = alphaIterations
        self.alphaLearningRate = alphaLearningRate
        self.alphaLearningRateDecay = alphaLearningRateDecay
        self.optimizeSplitMultipliers = optimizeSplitMultipliers
        self.betaLearningRate = betaLearningRate
        self.adamBeta1 = adamBeta1
        self.adamBeta2 = adamBeta2
        self.adamEpsilon = adamEpsilon
        self.slopeMemoryBudget = slopeMemoryBudget
    }
}
