import LinearProgramming
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tolerance for hand-computed optima.
private let tolerance = 1e-9

private func close(_ a: Double, _ b: Double, _ tol: Double = tolerance) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

private func closeAll(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1) }
}

@Suite struct LPSolverKnownOptimaTests {
    /// Hillier & Lieberman's Wyndor Glass: max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18, x, y ≥ 0.
    /// Optimum x = 2, y = 6, z = 36; shadow prices 0, 3/2, 1.
    static func wyndor() -> LPModel {
        var model = LPModel(direction: .maximize)
        let x = model.addColumn(cost: 3), y = model.addColumn(cost: 5)
        model.addRow([(x, 1)], upper: 4)
        model.addRow([(y, 2)], upper: 12)
        model.addRow([(x, 3), (y, 2)], upper: 18)
        return model
    }

    @Test(arguments: LPAlgorithm.allCases) func wyndorMaximisation(algorithm: LPAlgorithm) throws {
        let model = Self.wyndor()
        var options = LPSolverOptions()
        options.algorithm = algorithm
        let solution = try #require(try LPSolver(model, options: options).solve().solution)
        #expect(close(solution.objective, 36))
        #expect(closeAll(solution.columnValues, [2, 6]))
        #expect(closeAll(solution.rowActivities, [2, 12, 18]))
        #expect(closeAll(solution.rowDuals, [0, 1.5, 1]))
        #expect(closeAll(solution.reducedCosts, [0, 0]))
    }

    /// GLPK's rational simplex returns the exact optimum (all data are dyadic rationals here).
    @Test func exactSimplexIsExact() throws {
        var options = LPSolverOptions()
        options.algorithm = .exact
        let solution = try #require(try LPSolver(Self.wyndor(), options: options).solve().solution)
        #expect(solution.objective == 36 && solution.columnValues == [2, 6] && solution.rowDuals == [0, 1.5, 1])
    }

    /// min 2x + 3y, x + y ≥ 4, x + 3y ≥ 6, x, y ≥ 0: optimum (3, 1), value 9, duals 3/2 and 1/2.
    @Test func minimisationWithDuals() throws {
        var model = LPModel()
        model.addColumn(cost: 2)
        model.addColumn(cost: 3)
        model.addRow([(0, 1), (1, 1)], lower: 4)
        model.addRow([(0, 1), (1, 3)], lower: 6)
        let solution = try #require(try LPSolver(model).solve().solution)
        #expect(close(solution.objective, 9))
        #expect(closeAll(solution.columnValues, [3, 1]))
        #expect(closeAll(solution.rowDuals, [1.5, 0.5]))
        // Strong duality: bᵀλ = objective.
        #expect(close(4 * solution.rowDuals[0] + 6 * solution.rowDuals[1], solution.objective))
    }

    /// min x + y + z + 10 with x free, z fixed at 2, x − y = 1, x + y ≥ 3, y ≥ 0:
    /// optimum x = 2, y = 1, value 15; duals (0, 1); reduced cost of the fixed z is 1.
    @Test func freeAndFixedColumnsAndEqualityRow() throws {
        var model = LPModel()
        model.addColumn(lower: -.infinity, upper: .infinity, cost: 1, name: "x")
        model.addColumn(lower: 0, cost: 1, name: "y")
        model.addColumn(lower: 2, upper: 2, cost: 1, name: "z")
        model.objectiveConstant = 10
        model.addRow([(0, 1), (1, -1)], lower: 1, upper: 1)
        model.addRow([(0, 1), (1, 1)], lower: 3)
        let solution = try #require(try LPSolver(model).solve().solution)
        #expect(close(solution.objective, 15))
        #expect(closeAll(solution.columnValues, [2, 1, 2]))
        #expect(closeAll(solution.rowDuals, [0, 1]))
        #expect(closeAll(solution.reducedCosts, [0, 0, 1]))
    }

    @Test func emptyModels() throws {
        var empty = LPModel()
        empty.objectiveConstant = 3
        let solution = try #require(try LPSolver(empty).solve().solution)
        #expect(solution.objective == 3 && solution.columnValues.isEmpty && solution.rowDuals.isEmpty)

        var noRows = LPModel()
        noRows.addColumn(lower: 1, upper: 5, cost: 1)
        noRows.addColumn(lower: -2, upper: 7, cost: -1)
        let bounded = try #require(try LPSolver(noRows).solve().solution)
        #expect(close(bounded.objective, 1 - 7))
        #expect(closeAll(bounded.columnValues, [1, 7]))

        var emptyRow = LPModel()
        emptyRow.addColumn(lower: 0, upper: 1, cost: 1)
        emptyRow.addRow([], lower: -1, upper: 1)
        #expect(close(try #require(try LPSolver(emptyRow).solve().solution).objective, 0))
        emptyRow.rows[0].lower = 0.5
        #expect(try LPSolver(emptyRow).solve() == .infeasible)
    }

    @Test(arguments: LPAlgorithm.allCases) func infeasible(algorithm: LPAlgorithm) throws {
        var model = LPModel()
        model.addColumn(cost: 1)
        model.addColumn(cost: 1)
        model.addRow([(0, 1), (1, 1)], upper: 1)
        model.addRow([(0, 1), (1, 1)], lower: 2)
        var options = LPSolverOptions()
        options.algorithm = algorithm
        #expect(try LPSolver(model, options: options).solve() == .infeasible)
        options.confirmInfeasibility = true
        #expect(try LPSolver(model, options: options).solve() == .infeasible)
    }

    /// Primal and dual infeasible at once (x − y ≥ 1, y − x ≥ 1, free columns, min −x − y): must be reported
    /// infeasible, never unbounded.
    @Test func primalAndDualInfeasible() throws {
        var model = LPModel()
        model.addColumn(lower: -.infinity, cost: -1)
        model.addColumn(lower: -.infinity, cost: -1)
        model.addRow([(0, 1), (1, -1)], lower: 1)
        model.addRow([(0, -1), (1, 1)], lower: 1)
        let solver = try LPSolver(model)
        #expect(solver.solve() == .infeasible)
        #expect(solver.statistics.retries >= 1)  // the dual simplex alone cannot tell
    }

    @Test(arguments: LPAlgorithm.allCases) func unbounded(algorithm: LPAlgorithm) throws {
        var model = LPModel(direction: .maximize)
        model.addColumn(cost: 1)
        model.addColumn(cost: 0)
        model.addRow([(0, 1), (1, -1)], upper: 1)
        var options = LPSolverOptions()
        options.algorithm = algorithm
        #expect(try LPSolver(model, options: options).solve() == .unbounded)
    }

    @Test func iterationLimitGivesFailedNotAVerdict() throws {
        let model = Self.wyndor()
        var options = LPSolverOptions()
        options.iterationLimit = 0
        let solver = try LPSolver(model, options: options)
        guard case .failed(let code, _) = solver.solve() else { Issue.record("expected failed"); return }
        #expect(code == 0x08)  // GLP_EITLIM
        #expect(solver.statistics.failures == 1)
        solver.options.iterationLimit = nil
        solver.options.timeLimit = .infinity
        #expect(close(try #require(solver.solve().solution).objective, 36))
        solver.options.timeLimit = 0
        guard case .failed(0x09, _) = solver.solve() else { Issue.record("expected GLP_ETMLIM"); return }
    }

    /// Statistics count warm solves and iterations; a warm re-solve after a bound change that keeps the
    /// optimum needs no iteration.
    @Test func statisticsAndWarmStart() throws {
        let solver = try LPSolver(Self.wyndor())
        _ = solver.solve()
        #expect(solver.statistics.solves == 1 && solver.statistics.warmSolves == 0)
        #expect(solver.statistics.simplexIterations > 0)
        let iterations = solver.statistics.simplexIterations
        try solver.setColumnBounds(0, lower: 0, upper: 3)  // x* = 2 stays feasible and optimal
        #expect(close(try #require(solver.solve().solution).objective, 36))
        #expect(solver.statistics.warmSolves == 1 && solver.statistics.simplexIterations == iterations)
        try solver.setColumnBounds(0, lower: 0, upper: 1)  // cuts x* off: y = 6, x = 1, z = 33
        let s = try #require(solver.solve().solution)
        #expect(close(s.objective, 33) && closeAll(s.columnValues, [1, 6]))
        #expect(solver.statistics.retries == 0 && solver.statistics.failures == 0)
    }

    @Test func useFromAnotherThreadIsRefusedAndForeignDeinitDoesNotAbort() throws {
        var model = LPModel()
        model.addColumn(lower: 1, upper: 2, cost: 1)
        nonisolated(unsafe) var solver: LPSolver? = try LPSolver(model)
        nonisolated(unsafe) var foreignOutcome: LPOutcome? = nil
        nonisolated(unsafe) var foreignError: LPError? = nil
        runOnNewThread {
            foreignOutcome = solver!.solve()
            do { try solver!.setColumnBounds(0, lower: 0, upper: 1) } catch let e as LPError { foreignError = e } catch
            {}
        }
        guard case .failed = foreignOutcome else { Issue.record("expected failed"); return }
        #expect(foreignError == .wrongThread)
        #expect(close(try #require(solver!.solve().solution).objective, 1))
        // Released on a thread that did not create it: leaked, not aborted.
        runOnNewThread { solver = nil }
        #expect(solver == nil)
    }
}

/// Runs `body` on a fresh OS thread and waits for it.
func runOnNewThread(_ body: @escaping () -> Void) {
    final class Box: @unchecked Sendable { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    #if canImport(Glibc)
        var thread = pthread_t()
    #else
        var thread: pthread_t? = nil
    #endif
    let rc = pthread_create(
        &thread, nil,
        { raw in
            let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
            box.body()
            return nil
        }, box)
    precondition(rc == 0)
    #if canImport(Glibc)
        pthread_join(thread, nil)
    #else
        pthread_join(thread!, nil)
    #endif
}

/// `solveExact()`: GLPK's rational simplex (`glp_exact`) as a separate call with its own outcome type.
@Suite struct LPSolverExactTests {
    /// x ∈ [0, 1], v ∈ [−1, vUpper], x − v = 0, minimise −x.
    static func gap(vUpper: Double) -> LPModel {
        var model = LPModel()
        let x = model.addColumn(lower: 0, upper: 1, cost: -1)
        let v = model.addColumn(lower: -1, upper: vUpper)
        model.addRow([(x, 1), (v, -1)], lower: 0, upper: 0)
        return model
    }

    /// Infeasible by 5·10⁻⁸ (x ≥ 0 > −5·10⁻⁸ ≥ v = x), below GLPK's primal feasibility tolerance (10⁻⁷): the
    /// floating-point simplex accepts a point violating a bound (x = −5·10⁻⁸); the rational simplex answers
    /// infeasible.
    @Test func exactSimplexSeesAnInfeasibilityBelowTheTolerance() throws {
        let solver = try LPSolver(Self.gap(vUpper: -5e-8))
        let floating = solver.solve()
        if case .optimal(let s) = floating {
            #expect(s.columnValues[0] < 0 || s.columnValues[1] > -5e-8, "\(s)")  // a point outside the bounds
        }
        #expect(solver.solveExact() == .infeasible)
        #expect(solver.statistics.exactSolves == 1)
    }

    /// Feasible by 5·10⁻⁸: the exact optimum x = v = 5·10⁻⁸ (objective −5·10⁻⁸), with the exact dual −1 of the row.
    @Test func exactSimplexFindsTheExactOptimumOfATinyFeasibleRange() throws {
        let solver = try LPSolver(Self.gap(vUpper: 5e-8))
        let solution = try #require(solver.solveExact().solution)
        #expect(solution.objective == -5e-8)
        #expect(solution.columnValues == [5e-8, 5e-8])
        #expect(solution.rowDuals == [-1])
    }

    /// Warm from a floating-point basis, the exact simplex agrees with Wyndor's exact optimum.
    @Test func exactSimplexFromAWarmBasis() throws {
        let solver = try LPSolver(LPSolverKnownOptimaTests.wyndor())
        #expect(solver.solve().solution != nil)
        let solution = try #require(solver.solveExact().solution)
        #expect(solution.objective == 36 && solution.columnValues == [2, 6] && solution.rowDuals == [0, 1.5, 1])
    }

    @Test func exactSimplexRefusesModelsWithoutRows() throws {
        var model = LPModel()
        model.addColumn(lower: 0, upper: 1, cost: 1)
        guard case .failed = try LPSolver(model).solveExact() else { Issue.record("expected failed"); return }
    }
}
