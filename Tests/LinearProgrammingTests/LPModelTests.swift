import LinearProgramming
import Testing

@Suite struct LPModelValidationTests {
    /// x, y ≥ 0; x + y ≤ 4.
    private func smallModel() -> LPModel {
        var model = LPModel()
        model.addColumn(cost: 1, name: "x")
        model.addColumn(cost: 1, name: "y")
        model.addRow([(0, 1), (1, 1)], upper: 4, name: "cap")
        return model
    }

    @Test func validModelPasses() throws {
        try smallModel().validate()
        try LPModel().validate()
    }

    @Test func nanCoefficientIsRejected() {
        var model = smallModel()
        model.addRow([(0, .nan)], upper: 1)
        do {
            try model.validate()
            Issue.record("expected an error")
        } catch {
            guard case .nonFiniteValue(let v, .row(1, nil)) = error else { Issue.record("\(error)"); return }
            #expect(v.isNaN)
        }
    }

    @Test func infiniteCoefficientsAreRejected() {
        var model = smallModel()
        model.rows[0].terms[1].coefficient = .infinity
        #expect(throws: LPError.nonFiniteValue(.infinity, at: .row(0, name: "cap"))) { try model.validate() }
        model = smallModel()
        model.objective[1] = -.infinity
        #expect(throws: LPError.nonFiniteValue(-.infinity, at: .objectiveCoefficient(1))) { try model.validate() }
        model = smallModel()
        model.objectiveConstant = .infinity
        #expect(throws: LPError.nonFiniteValue(.infinity, at: .objectiveConstant)) { try model.validate() }
    }

    @Test func invalidBoundsAreRejected() {
        var model = smallModel()
        model.columns[1].lower = 5
        model.columns[1].upper = 3
        #expect(throws: LPError.invalidBounds(lower: 5, upper: 3, at: .column(1, name: "y"))) { try model.validate() }
        model = smallModel()
        model.rows[0].lower = .infinity
        #expect(throws: LPError.invalidBounds(lower: .infinity, upper: 4, at: .row(0, name: "cap"))) {
            try model.validate()
        }
        model = smallModel()
        model.columns[0].upper = -.infinity
        model.columns[0].lower = -.infinity
        #expect(throws: LPError.invalidBounds(lower: -.infinity, upper: -.infinity, at: .column(0, name: "x"))) {
            try model.validate()
        }
        model = smallModel()
        model.columns[0].upper = .nan
        #expect(throws: LPError.self) { try model.validate() }
    }

    @Test func badIndicesAreRejected() {
        var model = smallModel()
        model.addRow([(2, 1)], upper: 1)
        #expect(throws: LPError.columnOutOfRange(2, columnCount: 2, at: .row(1, name: nil))) { try model.validate() }
        model = smallModel()
        model.addRow([(-1, 1)], upper: 1)
        #expect(throws: LPError.columnOutOfRange(-1, columnCount: 2, at: .row(1, name: nil))) { try model.validate() }
        model = smallModel()
        model.addRow([(1, 1), (0, 2), (1, 3)], upper: 1)
        #expect(throws: LPError.duplicateIndex(1, at: .row(1, name: nil))) { try model.validate() }
        model = smallModel()
        model.objective.append(0)
        #expect(throws: LPError.objectiveSizeMismatch(count: 3, expected: 2)) { try model.validate() }
    }

    @Test func solverRejectsInvalidModelsAndArgumentsWithoutChange() throws {
        var bad = smallModel()
        bad.addRow([(0, .nan)])
        #expect(throws: LPError.self) { try LPSolver(bad) }

        let solver = try LPSolver(smallModel())
        #expect(throws: LPError.columnOutOfRange(2, columnCount: 2, at: nil)) {
            try solver.setColumnBounds(2, lower: 0, upper: 1)
        }
        #expect(throws: LPError.invalidBounds(lower: 2, upper: 1, at: .column(0, name: "x"))) {
            try solver.setColumnBounds(0, lower: 2, upper: 1)
        }
        #expect(throws: LPError.rowOutOfRange(1, rowCount: 1)) { try solver.setRowBounds(1, lower: 0, upper: 1) }
        #expect(throws: LPError.objectiveSizeMismatch(count: 1, expected: 2)) { try solver.setObjective([1]) }
        #expect(throws: LPError.self) { try solver.setObjective([1, .nan]) }
        #expect(throws: LPError.duplicateIndex(0, at: .objectiveCoefficient(0))) {
            try solver.setObjective(terms: [LPTerm(column: 0, coefficient: 1), LPTerm(column: 0, coefficient: 2)])
        }
        #expect(throws: LPError.self) {
            try solver.addRows([LPModel.Row([(0, 1)], upper: 1), LPModel.Row([(5, 1)], upper: 1)])
        }
        #expect(throws: LPError.duplicateIndex(0, at: .row(0, name: "cap"))) { try solver.deleteRows([0, 0]) }
        #expect(throws: LPError.rowOutOfRange(3, rowCount: 1)) { try solver.deleteRows([3]) }
        #expect(throws: LPError.self) { try solver.solveInteger(integerColumns: [7]) }
        #expect(solver.model == smallModel())
        // Still usable: min x + y with x, y ≥ 0 is 0.
        #expect(solver.solve().solution?.objective == 0)
    }
}
