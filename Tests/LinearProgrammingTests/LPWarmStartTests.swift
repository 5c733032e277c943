import LinearProgramming
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Relative tolerance between a warm and a cold solve of the same LP.
private let warmColdTolerance = 1e-7

/// Compares a warm outcome with a cold solve of `model`; returns the (warm, cold) seconds.
private func expectSameAsCold(_ warm: LPOutcome, warmSeconds: Double, model: LPModel, context: String) throws
    -> (warm: Double, cold: Double)
{
    let cold = try LPSolver(model)
    let coldOutcome = cold.solve()
    switch (warm, coldOutcome) {
    case (.optimal(let w), .optimal(let c)):
        #expect(
            abs(w.objective - c.objective) <= warmColdTolerance * max(1, abs(c.objective)),
            "\(context): warm \(w.objective) vs cold \(c.objective)")
        #expect(abs(model.objectiveValue(at: w.columnValues) - w.objective) <= 1e-7 * max(1, abs(w.objective)))
    case (.infeasible, .infeasible): break
    default: Issue.record("\(context): warm \(warm) vs cold \(coldOutcome)")
    }
    return (warmSeconds, cold.statistics.seconds)
}

@Suite struct LPWarmStartTests {
    /// 100 seeded random 30×20 LPs: bound changes (dual simplex), objective changes (primal simplex), added and
    /// deleted cuts, a cut's coefficients replaced and the cut freed, each re-solved warm and compared with a
    /// cold solve of the modified model.
    @Test func warmResolvesMatchColdSolves() throws {
        var random = TestRandom(seed: 20_261_123)
        var comparisons = 0, warmFaster = 0, infeasibleCases = 0
        var warmTotal = 0.0, coldTotal = 0.0
        func record(_ t: (warm: Double, cold: Double)) {
            comparisons += 1
            warmTotal += t.warm
            coldTotal += t.cold
            if t.warm < t.cold { warmFaster += 1 }
        }
        for instance in 0..<100 {
            let (model, x0) = randomFeasibleLP(rows: 30, columns: 20, density: 0.5, random: &random)
            let solver = try LPSolver(model)
            guard case .optimal = solver.solve() else { Issue.record("instance \(instance) not optimal"); continue }
            /// Re-solves warm and records the comparison with a cold solve of the modified model.
            func resolve(_ step: String) throws -> LPOutcome {
                let before = solver.statistics.seconds
                let outcome = solver.solve()
                record(
                    try expectSameAsCold(
                        outcome, warmSeconds: solver.statistics.seconds - before,
                        model: solver.model, context: "instance \(instance) \(step)"))
                return outcome
            }

            // 1. Tighten some column bounds; every fourth instance excludes x₀ (may become infeasible).
            for _ in 0..<3 {
                let j = random.index(model.columns.count)
                let column = solver.model.columns[j]
                var lower = random.uniform(column.lower, x0[j]), upper = random.uniform(x0[j], column.upper)
                if instance % 4 == 0 { (lower, upper) = (column.lower, random.uniform(column.lower, x0[j])) }
                try solver.setColumnBounds(j, lower: lower, upper: upper)
            }
            var outcome = try resolve("bounds")
            if outcome == .infeasible { infeasibleCases += 1 }
            guard case .optimal = outcome else { continue }

            // 2. New objective, same bounds: primal simplex from the old basis.
            try solver.setObjective(
                (0..<model.columns.count).map { _ in random.uniform(-1, 1) },
                constant: random.uniform(-3, 3))
            outcome = try resolve("objective")

            // 3. Add two cuts through the current optimum's neighbourhood, then delete the first.
            guard case .optimal(let s) = outcome else { continue }
            let cuts = (0..<2).map { _ in
                let entries = (0..<model.columns.count).map { (column: $0, coefficient: random.uniform(-1, 1)) }
                let activity = entries.reduce(0) { $0 + $1.coefficient * s.columnValues[$1.column] }
                return LPModel.Row(entries, upper: activity - 0.1)
            }
            let added = try solver.addRows(cuts)
            #expect(added == model.rows.count..<model.rows.count + 2)
            outcome = try resolve("cuts")
            try solver.deleteRows([added.lowerBound])
            outcome = try resolve("delete")

            // 4. New coefficients for the remaining cut (as LPRelaxation re-uses its triangle rows), then the
            //    cut freed: both re-solved from the same basis.
            let cut = solver.rowCount - 1
            try solver.setRowTerms(cut, (0..<model.columns.count).map { LPTerm(column: $0, coefficient: random.uniform(-1, 1)) })
            let warmBefore = solver.statistics.warmSolves
            outcome = try resolve("new terms")
            #expect(solver.statistics.warmSolves == warmBefore + 1)
            try solver.setRowBounds(cut, lower: -.infinity, upper: .infinity)
            outcome = try resolve("freed")
            #expect(solver.statistics.failures == 0)
        }
        print(
            "LP warm vs cold (30×20, 100 LPs): \(comparisons) comparisons, \(infeasibleCases) infeasible, "
                + "warm faster in \(warmFaster), total warm \(warmTotal * 1000) ms, cold \(coldTotal * 1000) ms")
    }

    /// Cold vs warm solve time on a dense random 300×200 LP (printed, not asserted; run
    /// `swift test -c release --filter denseTimingReport` for release figures). Thread CPU time is printed
    /// next to wall time because the build machine is shared.
    @Test func denseTimingReport() throws {
        var random = TestRandom(seed: 7)
        let (model, x0) = randomFeasibleLP(rows: 300, columns: 200, density: 1, random: &random)
        var report = "LP 300×200 dense, cold:"
        for basis in LPInitialBasis.allCases {
            for algorithm in [LPAlgorithm.dual, .primal] {
                var options = LPSolverOptions()
                options.coldStartBasis = basis
                options.algorithm = algorithm
                let (outcome, line) = timedSolve(try LPSolver(model, options: options))
                #expect(outcome.solution != nil)
                report += " \(basis)/\(algorithm) \(line);"
            }
        }
        let solver = try LPSolver(model)
        let cold = try #require(solver.solve().solution)

        // Cut off the optimum but keep the interior point x₀ feasible.
        let j = (0..<model.columns.count).max { cold.columnValues[$0] - x0[$0] < cold.columnValues[$1] - x0[$1] }!
        try solver.setColumnBounds(j, lower: model.columns[j].lower, upper: (x0[j] + cold.columnValues[j]) / 2)
        let (afterBound, boundLine) = timedSolve(solver)
        #expect(afterBound.solution != nil)

        var objective = model.objective
        for j in 0..<objective.count { objective[j] += random.uniform(-0.1, 0.1) }
        try solver.setObjective(objective)
        let (afterObjective, objectiveLine) = timedSolve(solver)
        let (reference, referenceLine) = timedSolve(try LPSolver(solver.model))
        let r = try #require(reference.solution?.objective), w = try #require(afterObjective.solution?.objective)
        #expect(abs(r - w) <= warmColdTolerance * max(1, abs(r)))
        print(report)
        print(
            "LP 300×200 dense, warm (dual) after a bound change: \(boundLine); warm (primal) after an objective "
                + "change: \(objectiveLine); cold solve of the changed LP: \(referenceLine)")
    }
}

/// Solves once; returns the outcome and "wall ms / thread-CPU ms / iterations".
private func timedSolve(_ solver: LPSolver) -> (LPOutcome, String) {
    let (wall0, it0, cpu0) = (solver.statistics.seconds, solver.statistics.simplexIterations, threadCPUSeconds())
    let outcome = solver.solve()
    let cpu = threadCPUSeconds() - cpu0
    let wall = solver.statistics.seconds - wall0, iterations = solver.statistics.simplexIterations - it0
    func ms(_ s: Double) -> String { String(Int((s * 1000).rounded())) + " ms" }
    return (outcome, "\(ms(wall)) wall, \(ms(cpu)) CPU, \(iterations) it")
}

/// CPU time of the calling thread, in seconds.
private func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
