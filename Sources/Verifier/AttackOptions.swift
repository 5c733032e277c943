/// Settings of the falsification (counterexample search) that runs before and during branch and bound.
public struct AttackOptions: Sendable, Hashable {
    /// Uniform random samples drawn from the input box before the search starts. Default 256.
    public var samples: Int
    /// Projected-gradient restarts per output region (the first starts at the best sample). Default 4.
    public var restarts: Int
    /// Projected-gradient steps per restart. Default 60.
    public var steps: Int
    /// Initial step as a fraction of each input coordinate's width; it decays linearly to zero. Default 0.25.
    public var initialStepFraction: Double
    /// Run a short attack on every `nodeInterval`-th branch-and-bound node (0: never). Default 64.
    public var nodeInterval: Int

    /// Default settings.
    public init(
        samples: Int = 256, restarts: Int = 4, steps: Int = 60, initialStepFraction: Double = 0.25,
        nodeInterval: Int = 64
    ) {
        self.samples = samples
        self.restarts = restarts
        self.steps = steps
        self.initialStepFraction = initialStepFraction
        self.nodeInterval = nodeInterval
    }
}
