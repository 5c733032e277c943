internal import CGLPK

import Foundation
import Tensor

/// A GLPK problem built from an `LPModel`, solved and re-solved warm after small changes.
///
/// This is the only place that talks to GLPK (Makhorin, *GNU Linear Programming Kit*, version 5.0). Every
/// argument is validated in Swift before it reaches GLPK, because GLPK calls `abort()` on invalid input;
/// invalid arguments throw `LPError` and leave the problem unchanged. GLPK's terminal output is switched off.
///
/// **Threads.** GLPK keeps its environment per OS thread: a solver must be created, used and destroyed on
/// one OS thread. The solver is therefore not `Sendable`; do not keep it across an `await` (a task may resume
/// on another thread) — own it from a `Thread` of your own. Every method checks the calling thread
/// (`pthread_self`, a few nanoseconds): on a foreign thread, mutators throw `LPError.wrongThread`, solves
/// return `failed`, and `deinit` leaks the GLPK problem rather than letting GLPK abort the process.
///
/// **Warm starts.** After `setColumnBounds`, `setRowBounds`, `setRowTerms`, `addRows`, `deleteRows` or
/// `setObjective`, the next `solve()` starts from the previous basis: the dual simplex after bound/row changes
/// (the basis stays dual feasible), the primal simplex after objective-only changes (it stays primal feasible);
/// presolve is off.
///
/// **Retries.** When an attempt fails or ends with an inconclusive status, `solve()` retries (1) from a fresh
/// basis with the same simplex (`glp_adv_basis`, or `glp_std_basis` if the first attempt already started from
/// the advanced basis), (2) from the standard basis with the other simplex, (3) with GLPK's exact rational
/// simplex (`glp_exact`) for small problems; retries are counted in `statistics`. A time or iteration limit
/// ends the solve at once with `failed`. `solveExact()` runs the rational simplex alone, with an outcome type of
/// its own (`ExactLPOutcome`: its verdicts are about GLPK's rationalisation of the data).
public final class LPSolver {
    private let problem: OpaquePointer
    private let owner: pthread_t
    /// The model as currently loaded (after all modifications).
    public private(set) var model: LPModel
    /// Counters accumulated over this solver's lifetime.
    public private(set) var statistics = LPStatistics()
    /// Options of `solve()`; may be changed between solves.
    public var options: LPSolverOptions

    /// Whether the current GLPK basis comes from a previous solve.
    private var hasWarmBasis = false
    /// Whether bounds or rows changed since the last solve.
    private var boundsOrRowsChanged = true
    /// Whether the objective changed since the last solve.
    private var objectiveChanged = false

    /// Validates `model` and loads it into a new GLPK problem on the calling thread.
    ///
    /// - Throws: `LPError` if `model.validate()` does; nothing reaches GLPK then.
    /// - Complexity: O(columns + nonzeros).
    public init(_ model: LPModel, options: LPSolverOptions = LPSolverOptions()) throws(LPError) {
        try model.validate()
        self.model = model
        self.options = options
        self.owner = pthread_self()
        _ = glp_term_out(GLP_OFF)
        guard let problem = glp_create_prob() else { fatalError("glp_create_prob returned NULL") }
        self.problem = problem
        glp_set_obj_dir(problem, model.direction == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(problem, 0, model.objectiveConstant)
        if !model.columns.isEmpty {
            glp_add_cols(problem, Int32(model.columns.count))
            for (j, column) in model.columns.enumerated() {
                setGLPKColumnBounds(j, column.lower, column.upper)
                glp_set_obj_coef(problem, Int32(j + 1), model.objective[j])
            }
        }
        appendGLPKRows(model.rows)
    }

    deinit {
        // Deleting a problem from a thread other than its creator aborts inside GLPK: leak it instead.
        if isOwnerThread { glp_delete_prob(problem) }
    }

    /// The number of columns.
    public var columnCount: Int { model.columns.count }
    /// The number of rows.
    public var rowCount: Int { model.rows.count }

    // MARK: - Modifications

    /// Changes the bounds of column `j` (either may be infinite; equal bounds fix the column).
    public func setColumnBounds(_ j: Int, lower: Double, upper: Double) throws(LPError) {
        try checkThread()
        guard j >= 0, j < columnCount else { throw .columnOutOfRange(j, columnCount: columnCount, at: nil) }
        try LPModel.checkBounds(lower, upper, at: .column(j, name: model.columns[j].name))
        model.columns[j].lower = lower
        model.columns[j].upper = upper
        setGLPKColumnBounds(j, lower, upper)
        boundsOrRowsChanged = true
    }

    /// Changes the bounds of row `i` (either may be infinite; equal bounds make it an equality).
    public func setRowBounds(_ i: Int, lower: Double, upper: Double) throws(LPError) {
        try checkThread()
        guard i >= 0, i < rowCount else { throw .rowOutOfRange(i, rowCount: rowCount) }
        try LPModel.checkBounds(lower, upper, at: .row(i, name: model.rows[i].name))
        model.rows[i].lower = lower
        model.rows[i].upper = upper
        setGLPKRowBounds(i, lower, upper)
        boundsOrRowsChanged = true
    }

    /// Replaces the coefficients of row `i` by `terms` (other columns get 0), keeping its bounds and the basis:
    /// the next solve refactorises the basis matrix and starts from the same statuses (a basis the new
    /// coefficients make singular is replaced by a fresh one, as a retry). Re-using rows this way keeps a warm
    /// start that deleting and appending them would lose (``deleteRows(_:)`` drops the basis when a deleted row
    /// was active). Complexity: O(columns).
    public func setRowTerms(_ i: Int, _ terms: [LPTerm]) throws(LPError) {
        try checkThread()
        guard i >= 0, i < rowCount else { throw .rowOutOfRange(i, rowCount: rowCount) }
        var row = model.rows[i]
        row.terms = terms
        var seen = [Bool](repeating: false, count: columnCount)
        try LPModel.checkRow(row, index: i, columnCount: columnCount, scratch: &seen)
        model.rows[i] = row
        setGLPKRowTerms(i, terms)
        boundsOrRowsChanged = true
    }

    /// Replaces the objective by the dense `coefficients` (one per column) plus `constant`, optionally
    /// changing the direction (`nil` keeps it). Complexity: O(columns).
    public func setObjective(_ coefficients: [Double], constant: Double = 0, direction: LPDirection? = nil)
        throws(LPError)
    {
        try checkThread()
        guard coefficients.count == columnCount else {
            throw .objectiveSizeMismatch(count: coefficients.count, expected: columnCount)
        }
        for (j, c) in coefficients.enumerated() where !c.isFinite {
            throw .nonFiniteValue(c, at: .objectiveCoefficient(j))
        }
        guard constant.isFinite else { throw .nonFiniteValue(constant, at: .objectiveConstant) }
        model.objective = coefficients
        model.objectiveConstant = constant
        if let direction { model.direction = direction }
        loadGLPKObjective()
    }

    /// Replaces the objective by the sparse `terms` (other columns get 0) plus `constant`, optionally
    /// changing the direction (`nil` keeps it). Complexity: O(columns).
    public func setObjective(terms: [LPTerm], constant: Double = 0, direction: LPDirection? = nil) throws(LPError) {
        var dense = [Double](repeating: 0, count: columnCount)
        var seen = [Bool](repeating: false, count: columnCount)
        for term in terms {
            guard term.column >= 0, term.column < columnCount else {
                throw .columnOutOfRange(term.column, columnCount: columnCount, at: .objectiveCoefficient(term.column))
            }
            guard !seen[term.column] else { throw .duplicateIndex(term.column, at: .objectiveCoefficient(term.column)) }
            seen[term.column] = true
            dense[term.column] = term.coefficient
        }
        try setObjective(dense, constant: constant, direction: direction)
    }

    /// Appends `rows` (e.g. cuts or split constraints) and returns their indices. The previous basis stays
    /// valid (new rows enter basic). All rows are validated before any is added.
    @discardableResult
    public func addRows(_ rows: [LPModel.Row]) throws(LPError) -> Range<Int> {
        try checkThread()
        guard rowCount + rows.count < Int(Int32.max) else { throw .tooLarge(count: rowCount + rows.count) }
        var seen = [Bool](repeating: false, count: columnCount)
        for (k, row) in rows.enumerated() {
            try LPModel.checkRow(row, index: rowCount + k, columnCount: columnCount, scratch: &seen)
        }
        let first = rowCount
        model.rows.append(contentsOf: rows)
        appendGLPKRows(rows)
        boundsOrRowsChanged = true
        return first..<rowCount
    }

    /// Deletes the rows at `indices` (distinct, in range; any order). Later rows move down, keeping their order.
    /// If an active (nonbasic) row is deleted the basis becomes invalid and the next solve starts from an
    /// advanced basis. Complexity: O(rows + columns).
    public func deleteRows(_ indices: [Int]) throws(LPError) {
        try checkThread()
        var doomed = [Bool](repeating: false, count: rowCount)
        for i in indices {
            guard i >= 0, i < rowCount else { throw .rowOutOfRange(i, rowCount: rowCount) }
            guard !doomed[i] else { throw .duplicateIndex(i, at: .row(i, name: model.rows[i].name)) }
            doomed[i] = true
        }
        guard !indices.isEmpty else { return }
        let numbers = Self.oneBased(indices.map { Int32($0 + 1) }, filler: 0)
        glp_del_rows(problem, Int32(indices.count), numbers)
        var kept: [LPModel.Row] = []
        kept.reserveCapacity(rowCount - indices.count)
        for (i, row) in model.rows.enumerated() where !doomed[i] { kept.append(row) }
        model.rows = kept
        boundsOrRowsChanged = true
        if basicCount() != rowCount {
            glp_adv_basis(problem, 0)
            hasWarmBasis = false
        }
    }

    // MARK: - GLPK plumbing (0-based Swift indices → 1-based GLPK arrays)

    /// `[filler] + values`: GLPK's arrays are 1-based and ignore element 0.
    static func oneBased<T>(_ values: [T], filler: T) -> [T] {
        var result = [filler]
        result.reserveCapacity(values.count + 1)
        result.append(contentsOf: values)
        return result
    }

    /// GLPK's bound type and values for `lower ≤ x ≤ upper` (already validated).
    private static func boundType(_ lower: Double, _ upper: Double) -> (type: Int32, lower: Double, upper: Double) {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): (GLP_FR, 0, 0)
        case (true, false): (GLP_LO, lower, 0)
        case (false, true): (GLP_UP, 0, upper)
        case (true, true): (lower == upper ? GLP_FX : GLP_DB, lower, upper)
        }
    }

    private func setGLPKColumnBounds(_ j: Int, _ lower: Double, _ upper: Double) {
        let b = Self.boundType(lower, upper)
        glp_set_col_bnds(problem, Int32(j + 1), b.type, b.lower, b.upper)
    }

    private func setGLPKRowBounds(_ i: Int, _ lower: Double, _ upper: Double) {
        let b = Self.boundType(lower, upper)
        glp_set_row_bnds(problem, Int32(i + 1), b.type, b.lower, b.upper)
    }

    /// Adds validated rows at the end of the GLPK problem (zero coefficients are dropped).
    private func appendGLPKRows(_ rows: [LPModel.Row]) {
        guard !rows.isEmpty else { return }
        let first = Int(glp_add_rows(problem, Int32(rows.count))) - 1
        for (k, row) in rows.enumerated() {
            setGLPKRowTerms(first + k, row.terms)
            setGLPKRowBounds(first + k, row.lower, row.upper)
        }
    }

    /// Sets the coefficients of the GLPK row for `i` to validated `terms` (zero coefficients are dropped).
    private func setGLPKRowTerms(_ i: Int, _ terms: [LPTerm]) {
        let nonzero = terms.filter { $0.coefficient != 0 }
        let indices = Self.oneBased(nonzero.map { Int32($0.column + 1) }, filler: 0)
        let values = Self.oneBased(nonzero.map(\.coefficient), filler: 0)
        glp_set_mat_row(problem, Int32(i + 1), Int32(nonzero.count), indices, values)
    }

    private func loadGLPKObjective() {
        glp_set_obj_dir(problem, model.direction == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(problem, 0, model.objectiveConstant)
        for (j, c) in model.objective.enumerated() { glp_set_obj_coef(problem, Int32(j + 1), c) }
        objectiveChanged = true
    }

    private func basicCount() -> Int {
        var count = 0
        for i in 0..<rowCount where glp_get_row_stat(problem, Int32(i + 1)) == GLP_BS { count += 1 }
        for j in 0..<columnCount where glp_get_col_stat(problem, Int32(j + 1)) == GLP_BS { count += 1 }
        return count
    }

    private var isOwnerThread: Bool { pthread_equal(pthread_self(), owner) != 0 }

    private func checkThread() throws(LPError) {
        guard isOwnerThread else { throw .wrongThread }
    }
}

// MARK: - Solving

extension LPSolver {
    /// Where an attempt starts from.
    private enum Start { case currentBasis, advancedBasis, standardBasis }
    /// Which simplex an attempt runs.
    private enum Method { case primal, dual, exact }
    /// What one attempt established.
    private enum Verdict {
        case optimal, infeasible, unbounded
        /// Retry may help.
        case inconclusive(code: Int32, detail: String)
        /// A user limit was hit: stop.
        case stop(code: Int32, detail: String)
    }

    /// Solves the LP, warm from the previous basis when there is one, following the retry policy.
    ///
    /// - Returns: `optimal`, `infeasible` or `unbounded` only when GLPK established it; otherwise `failed`.
    /// - Complexity: simplex iterations, each O(nonzeros) plus factorisation updates.
    public func solve() -> LPOutcome {
        guard isOwnerThread else { return .failed(code: -1, detail: LPError.wrongThread.description) }
        let clock = ContinuousClock()
        let start = clock.now
        defer { statistics.seconds += (clock.now - start).seconds }
        statistics.solves += 1
        if hasWarmBasis { statistics.warmSolves += 1 }

        let first: Method
        switch options.algorithm {
        case .dual: first = .dual
        case .primal: first = .primal
        case .exact: first = .exact
        case .automatic: first = hasWarmBasis && objectiveChanged && !boundsOrRowsChanged ? .primal : .dual
        }
        let other: Method = first == .primal ? .dual : .primal
        let coldStart: Start = options.coldStartBasis == .advanced ? .advancedBasis : .standardBasis
        let firstStart: Start = hasWarmBasis ? .currentBasis : coldStart
        var plan: [(Start, Method)] = [(firstStart, first)]
        if options.retries {
            // A fresh basis with the same simplex (the other fresh basis if the first attempt already had one),
            // then the standard basis with the other simplex.
            plan += [(firstStart == .advancedBasis ? .standardBasis : .advancedBasis, first), (.standardBasis, other)]
            let size = rowCount.multipliedReportingOverflow(by: columnCount)
            if first != .exact, rowCount > 0, columnCount > 0, !size.overflow,
                size.partialValue <= options.exactFallbackMaximumSize
            {
                plan.append((.standardBasis, .exact))
            }
        }
        boundsOrRowsChanged = false
        objectiveChanged = false

        var last: (code: Int32, detail: String) = (0, "no attempt")
        for (k, (startFrom, method)) in plan.enumerated() {
            if k > 0 { statistics.retries += 1 }
            switch attempt(startFrom, method, startedAt: start, clock: clock) {
            case .optimal:
                hasWarmBasis = true
                return .optimal(currentSolution())
            case .unbounded:
                hasWarmBasis = true
                return .unbounded
            case .infeasible:
                hasWarmBasis = true
                guard options.confirmInfeasibility else { return .infeasible }
                statistics.retries += 1
                let confirming: Method = method == .dual ? .primal : .dual
                if case .infeasible = attempt(.standardBasis, confirming, startedAt: start, clock: clock) {
                    return .infeasible
                }
                last = (0, "infeasibility reported by the \(method) simplex not confirmed by the \(confirming)")
            case .inconclusive(let code, let detail):
                last = (code, detail)
            case .stop(let code, let detail):
                last = (code, detail)
                return fail(last)
            }
        }
        return fail(last)
    }

    /// Solves the LP with GLPK's exact rational primal simplex (`glp_exact`): from the current basis when there
    /// is one (falling back to the standard basis if that one is singular in exact arithmetic), otherwise from the
    /// standard basis, within `options.timeLimit` and `options.iterationLimit`.
    ///
    /// The verdict is exact for GLPK's rationalisation of the data, not for the Float64 data (see
    /// `ExactLPOutcome`); its duals are the point: they are usually far better than the floating-point simplex's
    /// on ill-conditioned problems, and a caller certifies them itself.
    /// - Complexity: simplex iterations in rational (GMP) arithmetic: much slower than `solve()`.
    public func solveExact() -> ExactLPOutcome {
        guard isOwnerThread else { return .failed(code: -1, detail: LPError.wrongThread.description) }
        guard rowCount > 0, columnCount > 0 else {
            return .failed(code: GLP_EFAIL, detail: "glp_exact needs at least one row and one column")
        }
        let clock = ContinuousClock()
        let start = clock.now
        defer { statistics.seconds += (clock.now - start).seconds }
        statistics.exactSolves += 1
        boundsOrRowsChanged = false
        objectiveChanged = false
        var verdict = attempt(hasWarmBasis ? .currentBasis : .standardBasis, .exact, startedAt: start, clock: clock)
        if hasWarmBasis, case .inconclusive = verdict {
            statistics.retries += 1
            verdict = attempt(.standardBasis, .exact, startedAt: start, clock: clock)
        }
        switch verdict {
        case .optimal:
            hasWarmBasis = true
            return .optimal(currentSolution())
        case .infeasible:
            hasWarmBasis = true
            return .infeasible
        case .unbounded:
            hasWarmBasis = true
            return .unbounded
        case .inconclusive(let code, let detail), .stop(let code, let detail):
            statistics.failures += 1
            hasWarmBasis = false
            return .failed(code: code, detail: detail)
        }
    }

    private func fail(_ reason: (code: Int32, detail: String)) -> LPOutcome {
        statistics.failures += 1
        hasWarmBasis = false
        return .failed(code: reason.code, detail: reason.detail)
    }

    /// One simplex run.
    private func attempt(
        _ startFrom: Start, _ method: Method, startedAt: ContinuousClock.Instant,
        clock: ContinuousClock
    ) -> Verdict {
        switch startFrom {
        case .currentBasis: break
        case .advancedBasis: glp_adv_basis(problem, 0)
        case .standardBasis: glp_std_basis(problem)
        }
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.presolve = GLP_OFF
        parm.meth = method == .primal ? GLP_PRIMAL : GLP_DUAL
        if let limit = options.iterationLimit { parm.it_lim = Int32(clamping: max(0, limit)) }
        if let limit = options.timeLimit {
            let remaining = limit - (clock.now - startedAt).seconds
            guard remaining > 0 else { return .stop(code: GLP_ETMLIM, detail: "time limit exceeded") }
            parm.tm_lim = Self.milliseconds(remaining)
        }
        let iterationsBefore = glp_get_it_cnt(problem)
        let code = method == .exact ? glp_exact(problem, &parm) : glp_simplex(problem, &parm)
        statistics.simplexIterations += max(0, Int(glp_get_it_cnt(problem)) - Int(iterationsBefore))
        guard code == 0 else {
            let detail = "\(method) simplex returned \(Self.returnCodeName(code))"
            if code == GLP_ETMLIM || code == GLP_EITLIM { return .stop(code: code, detail: detail) }
            return .inconclusive(code: code, detail: detail)
        }
        let status = glp_get_status(problem)
        switch status {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default:
            return .inconclusive(code: 0, detail: "\(method) simplex ended with status \(Self.statusName(status))")
        }
    }

    /// The current basic solution (after `GLP_OPT`).
    private func currentSolution() -> LPSolution {
        let m = rowCount, n = columnCount
        var x = [Double](repeating: 0, count: n), d = [Double](repeating: 0, count: n)
        var activity = [Double](repeating: 0, count: m), dual = [Double](repeating: 0, count: m)
        for j in 0..<n {
            x[j] = glp_get_col_prim(problem, Int32(j + 1))
            d[j] = glp_get_col_dual(problem, Int32(j + 1))
        }
        for i in 0..<m {
            activity[i] = glp_get_row_prim(problem, Int32(i + 1))
            dual[i] = glp_get_row_dual(problem, Int32(i + 1))
        }
        return LPSolution(
            objective: glp_get_obj_val(problem), columnValues: x, rowActivities: activity, rowDuals: dual,
            reducedCosts: d)
    }

    /// A positive number of seconds as GLPK's `tm_lim` (milliseconds, at least 1, at most `Int32.max`; an
    /// infinite time gives `Int32.max`, GLPK's "no limit").
    static func milliseconds(_ seconds: Double) -> Int32 {
        let ms = (seconds * 1000).rounded(.up)
        return ms >= Double(Int32.max) ? Int32.max : Int32(max(1, ms))
    }

    /// GLPK's name of a return code of `glp_simplex`, `glp_exact` or `glp_intopt`.
    static func returnCodeName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            GLP_EBADB: "GLP_EBADB (invalid basis)", GLP_ESING: "GLP_ESING (singular basis matrix)",
            GLP_ECOND: "GLP_ECOND (ill-conditioned basis matrix)", GLP_EBOUND: "GLP_EBOUND (invalid bounds)",
            GLP_EFAIL: "GLP_EFAIL (solver failure)", GLP_EOBJLL: "GLP_EOBJLL (objective lower limit reached)",
            GLP_EOBJUL: "GLP_EOBJUL (objective upper limit reached)", GLP_EITLIM: "GLP_EITLIM (iteration limit)",
            GLP_ETMLIM: "GLP_ETMLIM (time limit)", GLP_ENOPFS: "GLP_ENOPFS (no primal feasible solution)",
            GLP_ENODFS: "GLP_ENODFS (no dual feasible solution)", GLP_EROOT: "GLP_EROOT (no optimal root LP)",
            GLP_ESTOP: "GLP_ESTOP (terminated)", GLP_EMIPGAP: "GLP_EMIPGAP (MIP gap reached)",
        ]
        return names[code] ?? "code \(code)"
    }

    /// GLPK's name of a solution status.
    static func statusName(_ status: Int32) -> String {
        let names: [Int32: String] = [
            GLP_UNDEF: "GLP_UNDEF", GLP_FEAS: "GLP_FEAS", GLP_INFEAS: "GLP_INFEAS (current point infeasible)",
            GLP_NOFEAS: "GLP_NOFEAS", GLP_OPT: "GLP_OPT", GLP_UNBND: "GLP_UNBND",
        ]
        return names[status] ?? "status \(status)"
    }
}

// MARK: - Mixed-integer programming

extension LPSolver {
    /// Solves the model with the given columns restricted to integers (`binaryColumns` to {0, 1}) by GLPK's
    /// branch and cut (`glp_intopt`, presolve on, relative gap 0 by default). The model itself is unchanged:
    /// column kinds and bounds are restored afterwards, and the next `solve()` is the LP again.
    ///
    /// Integer columns use the bounds `⌈lower⌉ … ⌊upper⌋`, binary ones their intersection with [0, 1]; if these
    /// are empty the result is `infeasible`. The LP relaxation is solved first (its objective is the
    /// `bestBound` reported on a time limit, and GLPK's proof of its infeasibility proves the MILP infeasible).
    ///
    /// - Throws: `LPError` for a column index out of range; `.wrongThread`.
    public func solveInteger(
        integerColumns: [Int], binaryColumns: [Int] = [], options milp: MILPOptions = MILPOptions()
    )
        throws(LPError) -> MILPOutcome
    {
        try checkThread()
        for j in integerColumns + binaryColumns where j < 0 || j >= columnCount {
            throw .columnOutOfRange(j, columnCount: columnCount, at: nil)
        }
        statistics.integerSolves += 1
        let clock = ContinuousClock()
        let start = clock.now
        defer { statistics.seconds += (clock.now - start).seconds }

        // Integral bounds; binaries intersected with [0, 1].
        var integral: [Int: (lower: Double, upper: Double)] = [:]
        for j in integerColumns {
            integral[j] = (model.columns[j].lower.rounded(.up), model.columns[j].upper.rounded(.down))
        }
        for j in binaryColumns {
            integral[j] = (max(model.columns[j].lower.rounded(.up), 0), min(model.columns[j].upper.rounded(.down), 1))
        }
        if integral.values.contains(where: { $0.lower > $0.upper }) { return .infeasible }
        let touched = integral.keys.sorted()
        defer {
            for j in touched {
                glp_set_col_kind(problem, Int32(j + 1), GLP_CV)
                setGLPKColumnBounds(j, model.columns[j].lower, model.columns[j].upper)
            }
            boundsOrRowsChanged = true
        }
        for j in touched {
            setGLPKColumnBounds(j, integral[j]!.lower, integral[j]!.upper)
            boundsOrRowsChanged = true
        }

        // LP relaxation (with the integral bounds).
        let savedOptions = options
        options.timeLimit = milp.timeLimit
        let relaxation = solve()
        options = savedOptions
        var relaxationBound: Double? = nil
        switch relaxation {
        case .infeasible: return .infeasible
        case .optimal(let s): relaxationBound = s.objective
        case .unbounded, .failed: break
        }

        for j in touched { glp_set_col_kind(problem, Int32(j + 1), GLP_IV) }
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        // Without presolve GLPK needs an optimal relaxation basis (else it returns GLP_EROOT).
        parm.presolve = milp.presolve || relaxationBound == nil ? GLP_ON : GLP_OFF
        parm.mip_gap = milp.relativeGap.isFinite ? max(0, milp.relativeGap) : 0
        if let limit = milp.timeLimit {
            let remaining = limit - (clock.now - start).seconds
            guard remaining > 0 else { return .timeLimit(bestBound: relaxationBound, incumbent: nil) }
            parm.tm_lim = Self.milliseconds(remaining)
        }
        let code = glp_intopt(problem, &parm)
        let status = glp_mip_status(problem)
        hasWarmBasis = false
        switch code {
        case 0, GLP_EMIPGAP:
            if status == GLP_OPT || (code == GLP_EMIPGAP && status == GLP_FEAS) { return .optimal(integerSolution()) }
            if status == GLP_NOFEAS { return .infeasible }
        case GLP_ENOPFS: return .infeasible
        case GLP_ENODFS: return .unbounded
        case GLP_ETMLIM:
            return .timeLimit(bestBound: relaxationBound, incumbent: status == GLP_FEAS ? integerSolution() : nil)
        default: break
        }
        return .failed(
            code: code, detail: "glp_intopt returned \(Self.returnCodeName(code)), status \(Self.statusName(status))")
    }

    private func integerSolution() -> MILPSolution {
        MILPSolution(
            objective: glp_mip_obj_val(problem),
            columnValues: (0..<columnCount).map { glp_mip_col_val(problem, Int32($0 + 1)) })
    }
}
