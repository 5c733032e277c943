/// A dense, row-major matrix of `Double` values.
///
/// `Matrix` is a value type with contiguous storage: element `(r, c)` lives at `storage[r * columns + c]`.
/// Products use BLAS (`cblas_dgemm`, `cblas_dgemv`) through ``BLAS``; everything else is plain Swift.
public struct Matrix: Sendable, Hashable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// Row-major elements, `rows * columns` of them.
    public var storage: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major storage. `storage.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(rows >= 0 && columns >= 0 && storage.count == rows * columns, "storage size mismatch")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from an array of equally long rows.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// Element access.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Row `i` as a new array.
    public func row(_ i: Int) -> [Double] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// Column `j` as a new array.
    public func column(_ j: Int) -> [Double] {
        (0..<rows).map { storage[$0 * columns + j] }
    }

    /// The transpose. O(rows · columns).
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        storage.withUnsafeBufferPointer { src in
            t.storage.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    for c in 0..<columns { dst[c * rows + r] = src[r * columns + c] }
                }
            }
        }
        return t
    }

    /// The rows selected by `indices`, in that order.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        for (k, i) in indices.enumerated() {
            out.storage.replaceSubrange((k * columns)..<((k + 1) * columns), with: storage[(i * columns)..<((i + 1) * columns)])
        }
        return out
    }

    /// The columns selected by `indices`, in that order.
    public func selectingColumns(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: rows, columns: indices.count)
        let k = indices.count
        storage.withUnsafeBufferPointer { src in
            indices.withUnsafeBufferPointer { pick in
                out.storage.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rows {
                        for (c, j) in pick.enumerated() { dst[r * k + c] = src[r * columns + j] }
                    }
                }
            }
        }
        return out
    }

    /// The indices of the columns with an entry other than zero (a NaN counts), in order.
    public var nonzeroColumns: [Int] {
        var used = [Bool](repeating: false, count: columns)
        storage.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                for c in 0..<columns where p[r * columns + c] != 0 { used[c] = true }
            }
        }
        return used.indices.filter { used[$0] }
    }

    /// `self · other` without the columns of `self` that are all zero and the matching rows of `other`, when at
    /// least a quarter of the columns are (back-substitution through stably inactive ReLUs leaves such columns)
    /// and the product is large enough (`rows·columns·other.columns ≥ 2²⁰`) for the copies to pay: on ACAS Xu's
    /// 50 × 50 products they cost more than they save. The same product for a finite `other`: a zero column only
    /// adds exact zeros.
    public func multipliedSkippingZeroColumns(by other: Matrix) -> Matrix {
        guard rows * columns * other.columns >= 1 << 20 else { return multiplied(by: other) }
        let used = nonzeroColumns
        guard 4 * used.count <= 3 * columns else { return multiplied(by: other) }
        guard !used.isEmpty else { return Matrix(rows: rows, columns: other.columns) }
        return selectingColumns(used).multiplied(by: other.selectingRows(used))
    }

    /// The rows of `blocks` (all with the same column count), one block after the other.
    public static func stacked(_ blocks: [Matrix]) -> Matrix {
        if blocks.count == 1 { return blocks[0] }
        let columns = blocks.first?.columns ?? 0
        precondition(blocks.allSatisfy { $0.columns == columns }, "stacked blocks differ in column count")
        var storage: [Double] = []
        storage.reserveCapacity(blocks.reduce(0) { $0 + $1.storage.count })
        for b in blocks { storage.append(contentsOf: b.storage) }
        return Matrix(rows: blocks.reduce(0) { $0 + $1.rows }, columns: columns, storage: storage)
    }

    /// The inverse of ``stacked(_:)``: consecutive blocks of `rowCounts[k]` rows.
    public func splittingRows(_ rowCounts: [Int]) -> [Matrix] {
        precondition(rowCounts.reduce(0, +) == rows, "row counts do not add up to \(rows)")
        if rowCounts.count == 1 { return [self] }
        var start = 0
        return rowCounts.map { count in
            defer { start += count }
            return Matrix(rows: count, columns: columns,
                          storage: Array(storage[(start * columns)..<((start + count) * columns)]))
        }
    }

    /// `self · other` (BLAS `dgemm`). Shapes: `(m × k) · (k × n) → (m × n)`.
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(columns == other.rows, "matrix product shape mismatch \(rows)x\(columns) · \(other.rows)x\(other.columns)")
        var out = Matrix(rows: rows, columns: other.columns)
        BLAS.gemm(m: rows, n: other.columns, k: columns, a: storage, transposeA: false, b: other.storage,
                  transposeB: false, c: &out.storage)
        return out
    }

    /// `self · otherᵀ` without forming the transpose. Shapes: `(m × k) · (n × k)ᵀ → (m × n)`.
    public func multiplied(byTransposeOf other: Matrix) -> Matrix {
        precondition(columns == other.columns, "matrix product shape mismatch")
        var out = Matrix(rows: rows, columns: other.rows)
        BLAS.gemm(m: rows, n: other.rows, k: columns, a: storage, transposeA: false, b: other.storage,
                  transposeB: true, c: &out.storage)
        return out
    }

    /// `selfᵀ · other` without forming the transpose. Shapes: `(k × m)ᵀ · (k × n) → (m × n)`.
    public func transposeMultiplied(by other: Matrix) -> Matrix {
        precondition(rows == other.rows, "matrix product shape mismatch")
        var out = Matrix(rows: columns, columns: other.columns)
        BLAS.gemm(m: columns, n: other.columns, k: rows, a: storage, transposeA: true, b: other.storage,
                  transposeB: false, c: &out.storage)
        return out
    }

    /// `selfᵀ · self` (`columns × columns`, symmetric), by a symmetric rank-k update (half the work of
    /// ``transposeMultiplied(by:)-(Matrix)``) whose lower triangle is then mirrored.
    public func gram() -> Matrix {
        var out = Matrix(rows: columns, columns: columns)
        BLAS.syrkTransposed(n: columns, k: rows, alpha: 1, a: storage, beta: 0, c: &out.storage)
        out.mirrorLowerTriangle()
        return out
    }

    /// `c ← c − selfᵀ · self` on the lower triangle of the square `c` only (a Cholesky factorisation, which reads
    /// nothing else, can follow; the upper triangle is left as it was).
    public func subtractGram(fromLowerTriangleOf c: inout Matrix) {
        precondition(c.rows == columns && c.columns == columns, "gram shape mismatch")
        BLAS.syrkTransposed(n: columns, k: rows, alpha: -1, a: storage, beta: 1, c: &c.storage)
    }

    /// Copies the lower triangle of a square matrix onto its upper triangle.
    public mutating func mirrorLowerTriangle() {
        precondition(rows == columns, "mirror of a non-square matrix")
        let n = rows
        storage.withUnsafeMutableBufferPointer { p in
            for r in 0..<n { for c in 0..<r { p[c * n + r] = p[r * n + c] } }
        }
    }

    /// `self · x` (BLAS `dgemv`).
    public func multiplied(by x: [Double]) -> [Double] {
        precondition(x.count == columns, "matrix-vector shape mismatch")
        var y = [Double](repeating: 0, count: rows)
        BLAS.gemv(m: rows, n: columns, a: storage, transpose: false, x: x, y: &y)
        return y
    }

    /// `selfᵀ · x` (BLAS `dgemv`).
    public func transposeMultiplied(by x: [Double]) -> [Double] {
        precondition(x.count == rows, "matrix-vector shape mismatch")
        var y = [Double](repeating: 0, count: columns)
        BLAS.gemv(m: rows, n: columns, a: storage, transpose: true, x: x, y: &y)
        return y
    }

    /// `|A|ᵀ x`, the transpose of the entrywise absolute value times a vector (interval arithmetic's radius).
    public func absoluteTransposeMultiplied(by x: [Double]) -> [Double] {
        precondition(x.count == rows, "matrix-vector shape mismatch")
        var y = [Double](repeating: 0, count: columns)
        storage.withUnsafeBufferPointer { a in
            y.withUnsafeMutableBufferPointer { out in
                for r in 0..<rows where x[r] != 0 {
                    let xr = x[r], base = r * columns
                    for c in 0..<columns { out[c] += abs(a[base + c]) * xr }
                }
            }
        }
        return y
    }

    /// `|A| x`, the entrywise absolute value times a vector.
    public func absoluteMultiplied(by x: [Double]) -> [Double] {
        precondition(x.count == columns, "matrix-vector shape mismatch")
        return storage.withUnsafeBufferPointer { a in
            (0..<rows).map { r in
                var s = 0.0
                for c in 0..<columns { s += abs(a[r * columns + c]) * x[c] }
                return s
            }
        }
    }

    /// Number of entries that are not exactly zero.
    public var nonzeroCount: Int { storage.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }

    /// Frobenius norm.
    public var frobeniusNorm: Double { storage.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
