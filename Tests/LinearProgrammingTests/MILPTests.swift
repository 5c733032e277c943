import LinearProgramming
import Testing

/// Tolerance for MILP optima (integral data).
private let milpTolerance = 1e-7

/// The best objective over all integer points in the box `0…upper[j]` satisfying every row (brute force).
private func bruteForceOptimum(_ model: LPModel, upper: [Int]) -> Double? {
    var best: Double? = nil
    var x = [Int](repeating: 0, count: upper.count)
    while true {
        let point = x.map(Double.init)
        let feasible = model.rows.indices.allSatisfy { i in
            let a = model.rowActivity(i, at: point)
            return a >= model.rows[i].lower - 1e-9 && a <= model.rows[i].upper + 1e-9
        }
        if feasible {
            let value = model.objectiveValue(at: point)
            if let b = best {
                best = model.direction == .minimize ? min(b, value) : max(b, value)
            } else {
                best = value
            }
        }
        var k = 0
        while k < x.count && x[k] == upper[k] { x[k] = 0; k += 1 }
        if k == x.count { return best }
        x[k] += 1
    }
}

@Suite struct MILPTests {
    /// 0/1 knapsack: values 10, 13, 7, 8, 6; weights 5, 6, 4, 4, 3; capacity 12. Optimum 24 (items 0, 3, 4);
    /// the LP relaxation is fractional and larger.
    @Test func knapsack() throws {
        var model = LPModel(direction: .maximize)
        let values: [Double] = [10, 13, 7, 8, 6], weights: [Double] = [5, 6, 4, 4, 3]
        for v in values { model.addColumn(lower: 0, upper: .infinity, cost: v) }
        model.addRow(Array(zip(0..., weights)).map { (column: $0.0, coefficient: $0.1) }, upper: 12)
        #expect(bruteForceOptimum(model, upper: [1, 1, 1, 1, 1]) == 24)

        let solver = try LPSolver(model)
        let milp = try #require(try solver.solveInteger(integerColumns: [], binaryColumns: Array(0..<5)).solution)
        #expect(abs(milp.objective - 24) <= milpTolerance)
        #expect(milp.columnValues.map { $0.rounded() } == [1, 0, 0, 1, 1])

        // The model is unchanged: the LP (unbounded columns above) is solved again, not the MILP.
        #expect(solver.model == model)
        var relaxed = model
        for j in 0..<5 { relaxed.columns[j].upper = 1 }
        let lp = try #require(try LPSolver(relaxed).solve().solution)
        #expect(abs(lp.objective - 25) <= milpTolerance)  // 13 + 10 + 8·(1/4) (ties at ratio 2)
    }

    /// 3×3 assignment with costs [[4,1,3],[2,0,5],[3,2,2]]: optimum 5 (0→1, 1→0, 2→2).
    @Test func assignment() throws {
        let cost: [[Double]] = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
        var model = LPModel()
        for i in 0..<3 { for j in 0..<3 { model.addColumn(lower: 0, upper: 1, cost: cost[i][j]) } }
        for i in 0..<3 { model.addRow((0..<3).map { (column: 3 * i + $0, coefficient: 1.0) }, lower: 1, upper: 1) }
        for j in 0..<3 { model.addRow((0..<3).map { (column: 3 * $0 + j, coefficient: 1.0) }, lower: 1, upper: 1) }
        let milp = try #require(try LPSolver(model).solveInteger(integerColumns: Array(0..<9)).solution)
        #expect(abs(milp.objective - 5) <= milpTolerance)
        #expect(milp.columnValues.map { $0.rounded() } == [0, 1, 0, 1, 0, 0, 0, 0, 1])
    }

    /// max x + y, −2x + 2y ≥ 1, −8x + 10y ≤ 13, x, y ≥ 0 integer: the LP optimum is (4, 4.5), value 8.5; the
    /// integer optimum (1, 2), value 3, is far from it (brute force over 0…10²).
    @Test func relaxationDiffersFromIntegerOptimum() throws {
        var model = LPModel(direction: .maximize)
        model.addColumn(cost: 1)
        model.addColumn(cost: 1)
        model.addRow([(0, -2), (1, 2)], lower: 1)
        model.addRow([(0, -8), (1, 10)], upper: 13)
        let solver = try LPSolver(model)
        let lp = try #require(solver.solve().solution)
        #expect(abs(lp.objective - 8.5) <= milpTolerance)
        var boxed = model
        for j in 0..<2 { boxed.columns[j].upper = 10 }
        #expect(bruteForceOptimum(boxed, upper: [10, 10]) == 3)
        let milp = try #require(try solver.solveInteger(integerColumns: [0, 1]).solution)
        #expect(abs(milp.objective - 3) <= milpTolerance)
        #expect(milp.columnValues.map { $0.rounded() } == [1, 2])
        // Back to the LP afterwards.
        #expect(abs(try #require(solver.solve().solution).objective - 8.5) <= milpTolerance)
    }

    /// 2x = 1 with x integer in [0, 5]: the LP relaxation is feasible, the MILP is not.
    @Test func infeasibleMILP() throws {
        var model = LPModel()
        model.addColumn(lower: 0, upper: 5, cost: 1)
        model.addColumn(lower: 0, upper: 5, cost: 1)
        model.addRow([(0, 2)], lower: 1, upper: 1)
        model.addRow([(0, 1), (1, 1)], upper: 4)
        let solver = try LPSolver(model)
        #expect(solver.solve().solution != nil)
        for presolve in [true, false] {
            var options = MILPOptions()
            options.presolve = presolve
            #expect(try solver.solveInteger(integerColumns: [0, 1], options: options) == .infeasible)
        }
        // Infeasible LP relaxation, and binary bounds excluding {0, 1}.
        try solver.setRowBounds(1, lower: 6, upper: .infinity)
        #expect(try solver.solveInteger(integerColumns: [1]) == .infeasible)
        try solver.setRowBounds(1, lower: -.infinity, upper: 4)
        try solver.setColumnBounds(1, lower: 2, upper: 5)
        #expect(try solver.solveInteger(integerColumns: [], binaryColumns: [1]) == .infeasible)
    }

    /// Big-M encoding of y = ReLU(x) with x ∈ [−1, 2] and a row x = 0.5: max y is 0.5 with d binary, but the
    /// LP relaxation reaches the triangle's top y = (2/3)(x + 1) = 1.
    @Test func bigMReLU() throws {
        var model = LPModel(direction: .maximize)
        let x = model.addColumn(lower: -1, upper: 2)
        let y = model.addColumn(lower: 0, upper: .infinity, cost: 1)
        let d = model.addColumn(lower: 0, upper: 1)
        let (l, u) = (-1.0, 2.0)
        model.addRow([(y, 1), (x, -1)], lower: 0)  // y ≥ x
        model.addRow([(y, 1), (x, -1), (d, -l)], upper: -l)  // y ≤ x − l(1 − d)
        model.addRow([(y, 1), (d, -u)], upper: 0)  // y ≤ u·d
        model.addRow([(x, 1)], lower: 0.5, upper: 0.5)
        let solver = try LPSolver(model)
        let lp = try #require(solver.solve().solution)
        #expect(abs(lp.objective - 1) <= milpTolerance)
        let milp = try #require(try solver.solveInteger(integerColumns: [], binaryColumns: [d]).solution)
        #expect(abs(milp.objective - 0.5) <= milpTolerance)
        #expect(abs(milp.columnValues[y] - 0.5) <= milpTolerance && milp.columnValues[d].rounded() == 1)
    }

    /// A time limit of zero gives `timeLimit` with the LP relaxation's bound, never a wrong verdict.
    @Test func zeroTimeLimit() throws {
        var model = LPModel(direction: .maximize)
        for v in [10.0, 13, 7, 8, 6] { model.addColumn(lower: 0, upper: 1, cost: v) }
        model.addRow([(0, 5), (1, 6), (2, 4), (3, 4), (4, 3)], upper: 12)
        var options = MILPOptions()
        options.timeLimit = 0
        let outcome = try LPSolver(model).solveInteger(integerColumns: Array(0..<5), options: options)
        guard case .timeLimit(let bound, _) = outcome else { Issue.record("\(outcome)"); return }
        if let bound { #expect(bound >= 24 - milpTolerance) }
    }
}

@Suite struct MILPEdgeCaseTests {
    /// max x + y with x integer ≥ 0, y ≤ 3 + x/2: no finite optimum.
    @Test func unboundedMILP() throws {
        var model = LPModel(direction: .maximize)
        model.addColumn(cost: 1)
        model.addColumn(cost: 1)
        model.addRow([(1, 1), (0, -0.5)], upper: 3)
        let solver = try LPSolver(model)
        #expect(solver.solve() == .unbounded)
        #expect(try solver.solveInteger(integerColumns: [0]) == .unbounded)
    }

    /// Integer columns with fractional bounds use ⌈lower⌉…⌊upper⌋; the LP bounds are restored afterwards.
    @Test func fractionalBoundsOfIntegerColumns() throws {
        var model = LPModel(direction: .maximize)
        model.addColumn(lower: -2.5, upper: 3.7, cost: 1)
        let solver = try LPSolver(model)
        #expect(try solver.solveInteger(integerColumns: [0]).solution?.columnValues == [3])
        #expect(solver.solve().solution?.columnValues == [3.7])
        try solver.setObjective([-1])
        #expect(try solver.solveInteger(integerColumns: [0]).solution?.columnValues == [-2])
        #expect(try solver.solveInteger(integerColumns: [0], binaryColumns: [0]).solution?.columnValues == [0])
        #expect(solver.solve().solution?.columnValues == [-2.5])
    }
}
