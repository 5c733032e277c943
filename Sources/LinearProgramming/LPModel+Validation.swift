extension LPModel {
    /// Checks everything GLPK would abort on, naming the offending row or column.
    ///
    /// - Throws: `LPError` for a NaN or infinite coefficient, a NaN bound, `lower > upper` (or `lower = +∞`,
    ///   `upper = -∞`), a column index out of range, a column repeated within a row, an objective whose length
    ///   differs from the column count, or sizes beyond `Int32`.
    /// - Complexity: O(columns + nonzeros).
    public func validate() throws(LPError) {
        let n = columns.count
        guard n < Int(Int32.max), rows.count < Int(Int32.max) else {
            throw .tooLarge(count: max(n, rows.count))
        }
        guard objective.count == n else { throw .objectiveSizeMismatch(count: objective.count, expected: n) }
        for (j, column) in columns.enumerated() {
            try LPModel.checkBounds(column.lower, column.upper, at: .column(j, name: column.name))
            guard objective[j].isFinite else { throw .nonFiniteValue(objective[j], at: .objectiveCoefficient(j)) }
        }
        guard objectiveConstant.isFinite else { throw .nonFiniteValue(objectiveConstant, at: .objectiveConstant) }
        var seen = [Bool](repeating: false, count: n)
        for (i, row) in rows.enumerated() {
            try LPModel.checkRow(row, index: i, columnCount: n, scratch: &seen)
        }
    }

    /// Checks `lower ≤ upper`, no NaN, `lower ≠ +∞`, `upper ≠ -∞`.
    static func checkBounds(_ lower: Double, _ upper: Double, at location: LPError.Location) throws(LPError) {
        guard !lower.isNaN else { throw .nonFiniteValue(lower, at: location) }
        guard !upper.isNaN else { throw .nonFiniteValue(upper, at: location) }
        guard lower <= upper, lower < .infinity, upper > -.infinity else {
            throw .invalidBounds(lower: lower, upper: upper, at: location)
        }
    }

    /// Checks a row's bounds and terms against `columnCount` columns. `scratch` must hold `columnCount`
    /// `false` values and is left that way.
    static func checkRow(_ row: Row, index i: Int, columnCount n: Int, scratch seen: inout [Bool]) throws(LPError) {
        let location = LPError.Location.row(i, name: row.name)
        try checkBounds(row.lower, row.upper, at: location)
        defer { for term in row.terms where term.column >= 0 && term.column < n { seen[term.column] = false } }
        for term in row.terms {
            guard term.column >= 0, term.column < n else {
                throw .columnOutOfRange(term.column, columnCount: n, at: location)
            }
            guard term.coefficient.isFinite else { throw .nonFiniteValue(term.coefficient, at: location) }
            guard !seen[term.column] else { throw .duplicateIndex(term.column, at: location) }
            seen[term.column] = true
        }
    }
}
