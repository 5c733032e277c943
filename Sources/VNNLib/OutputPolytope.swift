public import Tensor

/// A polytope `{y : C·y ≤ d}` over the output vector; rows flagged strict use `<`.
///
/// A polytope with no rows is the whole output space.
public struct OutputPolytope: Sendable, Hashable {
    /// `C`, one row per constraint, one column per output (``Specification/outputCount``).
    public var coefficients: Matrix
    /// `d`, one entry per row.
    public var bounds: [Double]
    /// Per row, true for `<` and false for `≤`.
    public var isStrict: [Bool]

    /// A polytope from `C`, `d` and the strictness flags (all `≤` by default).
    public init(coefficients: Matrix, bounds: [Double], isStrict: [Bool]? = nil) {
        precondition(coefficients.rows == bounds.count, "one bound per row")
        self.coefficients = coefficients
        self.bounds = bounds
        self.isStrict = isStrict ?? Array(repeating: false, count: bounds.count)
        precondition(self.isStrict.count == bounds.count, "one strictness flag per row")
    }

    /// A polytope from constraint rows over `outputCount` outputs.
    public init(rows: [LinearConstraint], outputCount: Int) {
        var matrix = Matrix(rows: rows.count, columns: outputCount)
        for (r, row) in rows.enumerated() {
            for c in 0..<Swift.min(outputCount, row.coefficients.count) { matrix[r, c] = row.coefficients[c] }
        }
        self.init(coefficients: matrix, bounds: rows.map(\.bound), isStrict: rows.map(\.isStrict))
    }

    /// Number of constraint rows.
    public var rowCount: Int { bounds.count }

    /// Row `r` as a ``LinearConstraint``.
    public func row(_ r: Int) -> LinearConstraint {
        LinearConstraint(coefficients: coefficients.row(r), bound: bounds[r], isStrict: isStrict[r])
    }

    /// True when `y` satisfies every row: decided on the exact value of each `c·y − d` (`< 0` for strict rows,
    /// `≤ 0` otherwise), so that a witness is never accepted on a rounded sum; with a positive `tolerance`, on
    /// rounded sums relaxed by it (a diagnostic). Complexity: O(rows · outputs).
    public func isSatisfied(by y: [Double], tolerance: Double = 0) -> Bool {
        guard y.count == coefficients.columns else { return false }
        let columns = coefficients.columns
        return coefficients.storage.withUnsafeBufferPointer { c in
            for r in 0..<bounds.count {
                let row = UnsafeBufferPointer(rebasing: c[(r * columns)..<((r + 1) * columns)])
                if tolerance > 0 {
                    var sum = 0.0
                    for k in 0..<columns { sum += row[k] * y[k] }
                    let ok = isStrict[r] ? sum < bounds[r] + tolerance : sum <= bounds[r] + tolerance
                    if !ok { return false }
                } else if !ExactSum.isAtMost(row, dot: y, bound: bounds[r], strict: isStrict[r]) {
                    return false
                }
            }
            return true
        }
    }

    /// The `Float` overload (each value is widened exactly to `Double` before the products).
    public func isSatisfied(by y: [Float], tolerance: Double = 0) -> Bool {
        isSatisfied(by: y.map(Double.init), tolerance: tolerance)
    }
}

extension OutputPolytope {
    /// True when some row has no solution in `box` (the outputs' possible values): the row's minimum over the box,
    /// taken at the vertex that minimises it, exceeds its bound, or reaches it on a strict row — decided on exact
    /// sums, so a range's endpoint refutes a strict row at the same value (`Y < 0` over `Y ∈ [0, 1]`). A row that
    /// needs an infinite corner, or whose sum cannot be decided exactly, refutes nothing.
    public func isEmpty(within box: Box) -> Bool {
        guard box.dimension == coefficients.columns else { return false }
        return (0..<rowCount).contains { r in
            var sum = ExactSum()
            for (k, c) in coefficients.row(r).enumerated() where c != 0 {
                let corner = c > 0 ? box.lower[k] : box.upper[k]
                guard corner.isFinite else { return false }
                sum.addProduct(c, corner)
            }
            sum.add(-bounds[r])
            guard let sign = sum.sign else { return false }
            return sign > 0 || (sign == 0 && isStrict[r])
        }
    }
}
