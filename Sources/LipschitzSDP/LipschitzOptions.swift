/// Settings of ``LipschitzAnalyzer``. Every field has a default suited to networks up to a few thousand neurons.
public struct LipschitzOptions: Sendable, Hashable {
    /// Maximum first-order iterations of the LipSDP solvers.
    public var iterations: Int = 2000
    /// Relative stopping tolerance: the solver stops when the best certified ρ improved by less than this
    /// fraction over the last `checkInterval · stallChecks` iterations.
    public var tolerance: Double = 1e-5
    /// Iterations between polish-and-certify checks (each one is an exact, certified evaluation).
    public var checkInterval: Int = 50
    /// Number of consecutive checks without relative improvement above `tolerance` before stopping (never
    /// before 80% of `iterations`, since the step size decays over the whole run).
    public var stallChecks: Int = 3
    /// Lanczos steps per eigenvalue estimate (full reorthogonalisation, warm-started).
    public var lanczosSteps: Int = 30
    /// Initial Adam step on the log-multipliers; it decays linearly to zero over `iterations`.
    public var learningRate: Double = 0.05
    /// Seed of the random start vectors (power iteration, first Lanczos start).
    public var seed: UInt64 = 0
    /// Wall-clock limit in seconds for the iterative solver (the final certification always runs).
    public var timeLimit: Double = 600

    /// Default options.
    public init() {}
}
