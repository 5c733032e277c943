import Tensor

/// Block assembly of matrices for product networks.
extension Matrix {
    /// `−self`.
    var negated: Matrix { Matrix(rows: rows, columns: columns, storage: storage.map { -$0 }) }

    /// `[self; other]` (equal column counts).
    func stacked(over other: Matrix) -> Matrix {
        Matrix(rows: rows + other.rows, columns: columns, storage: storage + other.storage)
    }

    /// `[self, other]` (equal row counts).
    func beside(_ other: Matrix) -> Matrix {
        var out = Matrix(rows: rows, columns: columns + other.columns)
        for r in 0..<rows {
            for c in 0..<columns { out[r, c] = self[r, c] }
            for c in 0..<other.columns { out[r, columns + c] = other[r, c] }
        }
        return out
    }
}
