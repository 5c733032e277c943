/// An optimal basic solution of a linear program.
///
/// Dual values follow GLPK's convention: `rowDuals[i]` is the Lagrange multiplier of row i and
/// `reducedCosts[j] = c[j] − Σᵢ A[i,j]·rowDuals[i]`; for a minimisation, an active `≥` row has a
/// nonnegative dual and an active `≤` row a nonpositive one (signs flip for a maximisation).
public struct LPSolution: Sendable, Hashable {
    /// The objective value `cᵀx + c₀`, as computed by GLPK.
    public var objective: Double
    /// The primal values `x`, one per column.
    public var columnValues: [Double]
    /// The row activities `A·x`, one per row.
    public var rowActivities: [Double]
    /// The row duals (Lagrange multipliers), one per row.
    public var rowDuals: [Double]
    /// The column reduced costs, one per column.
    public var reducedCosts: [Double]

    /// A solution from its parts.
    public init(
        objective: Double, columnValues: [Double], rowActivities: [Double], rowDuals: [Double],
        reducedCosts: [Double]
    ) {
        self.objective = objective
        self.columnValues = columnValues
        self.rowActivities = rowActivities
        self.rowDuals = rowDuals
        self.reducedCosts = reducedCosts
    }
}

/// The result of `LPSolver.solve()`.
///
/// `optimal`, `infeasible` and `unbounded` are reported only when GLPK itself established them (status
/// `GLP_OPT`, `GLP_NOFEAS`, `GLP_UNBND`); anything inconclusive, after the retry policy, is `failed`.
/// A caller proving something must treat `failed` as "unknown".
public enum LPOutcome: Sendable, Hashable {
    /// GLPK found an optimal basic solution.
    case optimal(LPSolution)
    /// GLPK established that no primal feasible solution exists (`GLP_NOFEAS`).
    case infeasible
    /// GLPK established that the objective is unbounded (primal feasible, dual infeasible: `GLP_UNBND`).
    case unbounded
    /// No conclusion. `code` is GLPK's return code of the last attempt (`GLP_E…`, e.g. 0x05 `GLP_EFAIL`,
    /// 0x08 `GLP_EITLIM`, 0x09 `GLP_ETMLIM`), or 0 when the call returned normally with an inconclusive
    /// status; `detail` names the code and the status in words.
    case failed(code: Int32, detail: String)

    /// The solution when optimal, else `nil`.
    public var solution: LPSolution? {
        if case .optimal(let s) = self { s } else { nil }
    }
}

/// The result of `LPSolver.solveExact()`: what GLPK's rational simplex (`glp_exact`) established.
///
/// `glp_exact` computes without rounding, but on *rationalised* data: it converts every Float64 bound and
/// coefficient to a nearby simple fraction first (within a relative 1e-9; e.g. 0.1 becomes exactly 1/10), so its
/// verdicts are exact for that slightly different LP, not for the Float64 one loaded. A caller proving something
/// must not take `infeasible` (or the optimal value) as proof: it must certify the returned solution on its own
/// data, e.g. the weak-duality bound of the row duals.
public enum ExactLPOutcome: Sendable, Hashable {
    /// An optimal basis of the rationalised LP; values, duals and reduced costs are rounded to Float64.
    case optimal(LPSolution)
    /// The rationalised LP has no feasible point (phase I ended with a positive sum of infeasibilities).
    case infeasible
    /// The rationalised LP is feasible and its objective unbounded.
    case unbounded
    /// No conclusion (time or iteration limit, singular starting basis, no rows or no columns); `code` as in
    /// `LPOutcome.failed`.
    case failed(code: Int32, detail: String)

    /// The solution when optimal, else `nil`.
    public var solution: LPSolution? {
        if case .optimal(let s) = self { s } else { nil }
    }
}

/// An integer-feasible solution of a mixed-integer program.
public struct MILPSolution: Sendable, Hashable {
    /// The objective value `cᵀx + c₀`.
    public var objective: Double
    /// The values of all columns (integer columns hold integral values up to GLPK's `tol_int`).
    public var columnValues: [Double]

    /// A solution from its parts.
    public init(objective: Double, columnValues: [Double]) {
        self.objective = objective
        self.columnValues = columnValues
    }
}

/// The result of `LPSolver.solveInteger(integerColumns:binaryColumns:options:)`.
public enum MILPOutcome: Sendable, Hashable {
    /// GLPK proved this solution optimal (`GLP_OPT`); with `MILPOptions.relativeGap > 0`, optimal within
    /// that relative gap (`GLP_EMIPGAP`).
    case optimal(MILPSolution)
    /// GLPK proved that no integer-feasible solution exists (`GLP_NOFEAS`, or an infeasible LP relaxation).
    case infeasible
    /// The LP relaxation has no dual feasible solution (`GLP_ENODFS`): the MILP has no finite optimum — it is
    /// unbounded if it has any integer-feasible point.
    case unbounded
    /// The time limit stopped the search. `bestBound` is a valid bound on the optimum (the LP relaxation's
    /// objective: a lower bound when minimising, an upper bound when maximising) when one is known;
    /// `incumbent` is the best integer-feasible solution found, if any.
    case timeLimit(bestBound: Double?, incumbent: MILPSolution?)
    /// No conclusion; `code` is GLPK's return code (see `LPOutcome.failed`).
    case failed(code: Int32, detail: String)

    /// The solution when optimal, else `nil`.
    public var solution: MILPSolution? {
        if case .optimal(let s) = self { s } else { nil }
    }
}
