/// Settings of the falsification (counterexample search) that runs before and during branch and bound.
public struct AttackOptions: Sendable, Hashable {
    /// Uniform random samples drawn from the input box before the search starts. Default 256.
    public var samples: Int
    /// Low-dimensional inputs (those `auto` mode bisects) get this many times ``samples`` at the root: they are
    /// cheap to evaluate and dense sampling covers their box (ACAS Xu 1_9 prop_7: 0.12% of face samples violate
    /// it). Default 16.
    public var lowDimensionalSampleFactor: Int
    /// Projected-gradient restarts per output region (the first starts at the best sample). Default 4.
    public var restarts: Int
    /// Projected-gradient steps per restart. Default 60.
    public var steps: Int
    /// Initial step as a fraction of each input coordinate's width; it decays linearly to zero. Default 0.25.
    public var initialStepFraction: Double
    /// Run a short attack on every `nodeInterval`-th branch-and-bound node (0: never). Default 64.
    public var nodeInterval: Int
    /// Samples of a node's attack. Default 8.
    public var nodeSamples: Int
    /// Restarts of a node's attack (its steps are half of ``steps``). Default 1.
    public var nodeRestarts: Int

    /// Falsification settings.
    public init(
        samples: Int = 256, lowDimensionalSampleFactor: Int = 16, restarts: Int = 4, steps: Int = 60,
        initialStepFraction: Double = 0.25, nodeInterval: Int = 64, nodeSamples: Int = 8, nodeRestarts: Int = 1
    ) {
        self.samples = samples
        self.lowDimensionalSampleFactor = lowDimensionalSampleFactor
        self.restarts = restarts
        self.steps = steps
        self.initialStepFraction = initialStepFraction
        self.nodeInterval = nodeInterval
        self.nodeSamples = nodeSamples
        self.nodeRestarts = nodeRestarts
    }

    /// The settings of a node's attack: half the steps, ``nodeSamples`` and ``nodeRestarts``.
    var forNodes: AttackOptions {
        var node = self
        node.steps = Swift.max(1, steps / 2)
        node.samples = nodeSamples
        node.restarts = nodeRestarts
        return node
    }
}
