/// What is wrong with a linear program or with an argument to `LPSolver`.
///
/// Every value GLPK would abort the process on is rejected with one of these before it reaches GLPK.
public enum LPError: Error, Sendable, Hashable {
    /// Which part of a model a problem is in.
    public enum Location: Sendable, Hashable, CustomStringConvertible {
        /// Column `index` (and its name, if any).
        case column(Int, name: String?)
        /// Row `index` (and its name, if any).
        case row(Int, name: String?)
        /// Objective coefficient of column `index`.
        case objectiveCoefficient(Int)
        /// The objective's constant term.
        case objectiveConstant

        public var description: String {
            switch self {
            case .column(let j, let name): "column \(j)" + (name.map { " (\($0))" } ?? "")
            case .row(let i, let name): "row \(i)" + (name.map { " (\($0))" } ?? "")
            case .objectiveCoefficient(let j): "objective coefficient of column \(j)"
            case .objectiveConstant: "objective constant"
            }
        }
    }

    /// A NaN or infinite coefficient (matrix entry or objective), or a NaN bound, at `location`.
    case nonFiniteValue(Double, at: Location)
    /// Bounds with `lower > upper`, `lower == +∞` or `upper == -∞`.
    case invalidBounds(lower: Double, upper: Double, at: Location)
    /// A column index outside `0..<columnCount` in a row or an argument.
    case columnOutOfRange(Int, columnCount: Int, at: Location?)
    /// A row index outside `0..<rowCount`.
    case rowOutOfRange(Int, rowCount: Int)
    /// The same column twice in one row (or in one sparse objective), or the same row twice in a deletion.
    case duplicateIndex(Int, at: Location?)
    /// The objective has `count` coefficients but the model has `expected` columns.
    case objectiveSizeMismatch(count: Int, expected: Int)
    /// The model is larger than GLPK can index (`Int32`).
    case tooLarge(count: Int)
    /// The solver was used on an OS thread other than the one that created it (GLPK's environment is
    /// thread-local); nothing was done.
    case wrongThread
}

extension LPError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .nonFiniteValue(let v, let loc): "non-finite value \(v) in \(loc)"
        case .invalidBounds(let lo, let up, let loc): "invalid bounds [\(lo), \(up)] for \(loc)"
        case .columnOutOfRange(let j, let n, let loc):
            "column index \(j) out of range 0..<\(n)" + (loc.map { " in \($0)" } ?? "")
        case .rowOutOfRange(let i, let m): "row index \(i) out of range 0..<\(m)"
        case .duplicateIndex(let k, let loc): "duplicate index \(k)" + (loc.map { " in \($0)" } ?? "")
        case .objectiveSizeMismatch(let c, let e): "objective has \(c) coefficients, model has \(e) columns"
        case .tooLarge(let c): "\(c) rows/columns exceed GLPK's Int32 indexing"
        case .wrongThread: "LPSolver used on a thread other than the one that created it"
        }
    }
}
