/// The simplex variant used for the first attempt of a solve.
public enum LPAlgorithm: Sendable, Hashable, CaseIterable {
    /// Dual simplex after bound or row changes (and for cold solves), primal simplex when only the objective
    /// changed since the last optimal solve (the old basis stays primal feasible then).
    case automatic
    /// Always start with the dual simplex (keeps a dual feasible basis after bound changes and added cuts).
    case dual
    /// Always start with the primal simplex.
    case primal
    /// GLPK's primal simplex in exact rational arithmetic (`glp_exact`, Makhorin's bignum `ssx`): no tolerances,
    /// much slower; for small reference problems. Retries use the floating-point simplexes.
    case exact
}

/// The basis a cold solve (no basis from a previous solve) starts from.
public enum LPInitialBasis: Sendable, Hashable, CaseIterable {
    /// All rows basic, columns at a bound (`glp_std_basis`): trivially nonsingular.
    case standard
    /// GLPK's crash basis (`glp_adv_basis`, Bixby's triangular crash): usually fewer iterations.
    case advanced
}

/// Settings of `LPSolver.solve()`. Every field has a default.
public struct LPSolverOptions: Sendable, Hashable {
    /// The simplex variant of the first attempt; the retry policy switches to the other one. Default `.automatic`.
    public var algorithm: LPAlgorithm = .automatic
    /// The starting basis of a cold solve. Default `.advanced`.
    public var coldStartBasis: LPInitialBasis = .advanced
    /// Wall-clock limit in seconds for one `solve()` over all attempts; `nil` for none. Default `nil`.
    public var timeLimit: Double? = nil
    /// Simplex iteration limit per attempt; `nil` for none. Default `nil`.
    public var iterationLimit: Int? = nil
    /// Retry with a fresh (advanced) basis and then with the other simplex variant when an attempt fails or
    /// ends with an inconclusive status. Default `true`.
    public var retries: Bool = true
    /// As a last resort, run GLPK's exact rational simplex (`glp_exact`) when `rows × columns` is at most this.
    /// 0 disables it. Default 2,500.
    public var exactFallbackMaximumSize: Int = 2_500
    /// When an attempt reports infeasibility, confirm it with the other simplex variant from a fresh basis
    /// before answering `infeasible` (a disagreement gives `failed`). Doubles the cost of infeasible LPs;
    /// for callers who turn "infeasible" into a proof. Default `false`.
    public var confirmInfeasibility: Bool = false

    /// Default options.
    public init() {}
}

/// Settings of `LPSolver.solveInteger(integerColumns:binaryColumns:options:)`. Every field has a default.
public struct MILPOptions: Sendable, Hashable {
    /// Wall-clock limit in seconds for the branch and bound; `nil` for none. Default `nil`.
    public var timeLimit: Double? = nil
    /// Relative MIP gap at which to stop; 0 means prove optimality exactly (GLPK's `mip_gap`). Default 0.
    public var relativeGap: Double = 0
    /// Use GLPK's MIP presolver (`presolve = GLP_ON`). Default `true`.
    public var presolve: Bool = true

    /// Default options.
    public init() {}
}

/// Counters of one `LPSolver`, accumulated over its lifetime.
public struct LPStatistics: Sendable, Hashable {
    /// Calls of `solve()`.
    public var solves = 0
    /// Calls of `solve()` that started from the basis of a previous solve.
    public var warmSolves = 0
    /// Extra simplex attempts made by the retry policy.
    public var retries = 0
    /// Calls of `solve()` that ended `failed`.
    public var failures = 0
    /// Calls of `solveInteger`.
    public var integerSolves = 0
    /// Calls of `solveExact`.
    public var exactSolves = 0
    /// Simplex iterations over all attempts (GLPK's `glp_get_it_cnt`).
    public var simplexIterations = 0
    /// Wall-clock time spent in `solve()` and `solveInteger`, in seconds.
    public var seconds: Double = 0

    /// Zero counters.
    public init() {}
}
