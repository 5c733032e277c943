/// Settings of ``LipschitzAnalyzer``. Every field has a default suited to networks up to a few thousand neurons.
public struct LipschitzOptions: Sendable, Hashable {
    /// First-order iterations of the first cycle of the LipSDP solvers; each further cycle is twice as long.
    public var iterations: Int = 2000
    /// Most cycles (each one a full decay of the step, restarted from the best certified point). A new cycle
    /// starts only while the duality gap exceeds `gapTolerance`, the last cycle still gained, and time remains.
    public var cycles: Int = 5
    /// Stop as soon as the certified bound L is within this relative distance of a lower bound on the LipSDP
    /// optimum (a dual-feasible point): (L − L_dual) / L ≤ gapTolerance.
    public var gapTolerance: Double = 1e-2
    /// Relative stall tolerance: a cycle ends when the best certified ρ improved by less than this fraction over
    /// the last `checkInterval · stallChecks` iterations.
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
    /// LipSDP-Neuron LMIs of at most this dimension (inputs plus hidden neurons kept) are solved by the
    /// interior-point method (``InteriorPointSolver``: dense Newton steps, to within about 10⁻⁶ of the optimum),
    /// larger ones — and any whose Newton system fails — by the first-order solver. 0 turns it off.
    public var interiorPointDimension: Int = 1_400
    /// Also compute the compositional point of the balanced chain — the same function with each hidden neuron's
    /// incoming and outgoing weights rescaled to equal norms (dense networks only) — and solve on it when its
    /// bound is smaller: the LipSDP-Layer bound can be several times smaller there (ACAS Xu), the LipSDP-Neuron
    /// optimum is the same. `details["balanced"]` says when it was chosen.
    public var balancing: Bool = true
    /// For a global bound of a dense network: the per-hidden-neuron scales of another network's bound
    /// (``LipschitzResult/neuronScales``), tried as one more chain (the same function in those coordinates) and
    /// used when its compositional bound is smaller — so a compressed copy is bounded in its original's
    /// coordinates, and the two bounds compare like with like. Ignored when the widths differ.
    public var neuronScales: [[Double]]?
    /// Seed of the random start vectors (power iteration, first Lanczos start).
    public var seed: UInt64 = 0
    /// Wall-clock limit in seconds for the whole computation: every stage checks it, and the bound certified
    /// by then is returned (the naive product of certified layer norms at worst; `details["timeLimit"]` says
    /// where the run stopped). Default 45.
    public var timeLimit: Double = 45

    /// Default options.
    public init() {}
}
