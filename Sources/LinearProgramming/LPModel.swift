/// The direction of an objective.
public enum LPDirection: Sendable, Hashable {
    /// Find the smallest objective value.
    case minimize
    /// Find the largest objective value.
    case maximize
}

/// One nonzero of a sparse row: `coefficient · x[column]`.
public struct LPTerm: Sendable, Hashable {
    /// The 0-based column index.
    public var column: Int
    /// The coefficient; must be finite.
    public var coefficient: Double

    /// A term `coefficient · x[column]`.
    public init(column: Int, coefficient: Double) {
        self.column = column
        self.coefficient = coefficient
    }
}

/// A linear program as a plain value:
///
///     minimise / maximise   cᵀx + c₀
///     subject to            rowLower[i] ≤ Σⱼ A[i,j]·x[j] ≤ rowUpper[i]     for every row i
///                           lower[j]    ≤ x[j]            ≤ upper[j]        for every column j
///
/// Bounds may be `-.infinity` / `+.infinity`; a row or column whose two bounds are equal is an equality
/// (a fixed column). Rows are sparse, the objective is dense (one coefficient per column).
///
/// The model is only data: `validate()` checks everything GLPK would abort on, and `LPSolver` solves it.
public struct LPModel: Sendable, Hashable {
    /// A variable with its bounds.
    public struct Column: Sendable, Hashable {
        /// Lower bound; `-.infinity` for none. Never NaN or `+.infinity`.
        public var lower: Double
        /// Upper bound; `+.infinity` for none. Never NaN or `-.infinity`.
        public var upper: Double
        /// An optional name, kept on the Swift side only (used in error messages).
        public var name: String?

        /// A column with bounds `lower ≤ x ≤ upper` (default: `x ≥ 0`).
        public init(lower: Double = 0, upper: Double = .infinity, name: String? = nil) {
            self.lower = lower
            self.upper = upper
            self.name = name
        }
    }

    /// A constraint `lower ≤ Σ terms ≤ upper`.
    public struct Row: Sendable, Hashable {
        /// The nonzeros; each column at most once, every coefficient finite. Zero coefficients are allowed.
        public var terms: [LPTerm]
        /// Lower bound; `-.infinity` for none.
        public var lower: Double
        /// Upper bound; `+.infinity` for none.
        public var upper: Double
        /// An optional name, kept on the Swift side only (used in error messages).
        public var name: String?

        /// A row `lower ≤ Σ terms ≤ upper`.
        public init(terms: [LPTerm], lower: Double = -.infinity, upper: Double = .infinity, name: String? = nil) {
            self.terms = terms
            self.lower = lower
            self.upper = upper
            self.name = name
        }

        /// A row from `(column, coefficient)` pairs.
        public init(
            _ entries: [(column: Int, coefficient: Double)], lower: Double = -.infinity,
            upper: Double = .infinity, name: String? = nil
        ) {
            self.init(
                terms: entries.map { LPTerm(column: $0.column, coefficient: $0.coefficient) }, lower: lower,
                upper: upper, name: name)
        }
    }

    /// The variables, indexed from 0.
    public var columns: [Column]
    /// The constraints, indexed from 0.
    public var rows: [Row]
    /// One objective coefficient per column (`objective.count == columns.count`).
    public var objective: [Double]
    /// The constant term c₀ of the objective.
    public var objectiveConstant: Double
    /// Whether to minimise or maximise.
    public var direction: LPDirection

    /// An empty model (no columns, no rows, zero objective).
    public init(direction: LPDirection = .minimize) {
        self.columns = []
        self.rows = []
        self.objective = []
        self.objectiveConstant = 0
        self.direction = direction
    }

    /// A model from its parts; call `validate()` (or create an `LPSolver`) to check it.
    public init(
        columns: [Column], rows: [Row], objective: [Double], objectiveConstant: Double = 0,
        direction: LPDirection = .minimize
    ) {
        self.columns = columns
        self.rows = rows
        self.objective = objective
        self.objectiveConstant = objectiveConstant
        self.direction = direction
    }

    /// Appends a column with objective coefficient `cost` and returns its index.
    @discardableResult
    public mutating func addColumn(
        lower: Double = 0, upper: Double = .infinity, cost: Double = 0, name: String? = nil
    ) -> Int {
        columns.append(Column(lower: lower, upper: upper, name: name))
        objective.append(cost)
        return columns.count - 1
    }

    /// Appends the row `lower ≤ Σ terms ≤ upper` and returns its index.
    @discardableResult
    public mutating func addRow(
        _ entries: [(column: Int, coefficient: Double)], lower: Double = -.infinity,
        upper: Double = .infinity, name: String? = nil
    ) -> Int {
        rows.append(Row(entries, lower: lower, upper: upper, name: name))
        return rows.count - 1
    }

    /// Appends a row and returns its index.
    @discardableResult
    public mutating func addRow(_ row: Row) -> Int {
        rows.append(row)
        return rows.count - 1
    }

    /// The objective value `cᵀx + c₀` at `x` (`x.count == columns.count`). Complexity: O(columns).
    public func objectiveValue(at x: [Double]) -> Double {
        precondition(
            x.count == objective.count, "objectiveValue: x has \(x.count) entries, expected \(objective.count)")
        var sum = objectiveConstant
        for j in 0..<x.count { sum += objective[j] * x[j] }
        return sum
    }

    /// The activity `Σ A[i,j]·x[j]` of row `i` at `x`. Complexity: O(nonzeros of the row).
    public func rowActivity(_ i: Int, at x: [Double]) -> Double {
        rows[i].terms.reduce(0) { $0 + $1.coefficient * x[$1.column] }
    }
}
