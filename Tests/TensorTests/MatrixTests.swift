import Tensor
import Testing

@Test func matrixProductsAgreeWithNaiveLoops() {
    var rng = SplitMix64(seed: 1)
    let a = Matrix(rows: 7, columns: 5, storage: (0..<35).map { _ in Double.random(in: -1...1, using: &rng) })
    let b = Matrix(rows: 5, columns: 4, storage: (0..<20).map { _ in Double.random(in: -1...1, using: &rng) })
    let c = a.multiplied(by: b)
    for i in 0..<7 {
        for j in 0..<4 {
            let expected = (0..<5).reduce(0.0) { $0 + a[i, $1] * b[$1, j] }
            #expect(abs(c[i, j] - expected) < 1e-12)
        }
    }
    let bt = b.transposed
    let c2 = a.multiplied(byTransposeOf: bt)
    let c3 = a.transposed.transposeMultiplied(by: b)
    for k in 0..<c.storage.count {
        #expect(abs(c2.storage[k] - c.storage[k]) < 1e-12)
        #expect(abs(c3.storage[k] - c.storage[k]) < 1e-12)
    }
    let x = (0..<5).map { Double($0) - 2 }
    let y = a.multiplied(by: x)
    for i in 0..<7 { #expect(abs(y[i] - Vector.dot(a.row(i), x)) < 1e-12) }
    let z = a.transposeMultiplied(by: y)
    for j in 0..<5 { #expect(abs(z[j] - Vector.dot(a.column(j), y)) < 1e-12) }
}

@Test func boxOperations() {
    let box = Box(lower: [0, -1], upper: [2, 1])
    #expect(box.center == [1, 0])
    #expect(box.contains([2, -1]) && !box.contains([2.1, 0]))
    #expect(box.clamped([5, -3]) == [2, -1])
    let (l, r) = box.bisected(along: 0)
    #expect(l.upper == [1, 1] && r.lower == [1, -1])
}

@Test func splitMixIsDeterministic() {
    var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
    #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
    // Reference value of SplitMix64 with seed 0 (first output), as published with the algorithm.
    var z = SplitMix64(seed: 0)
    #expect(z.next() == 0xE220_A839_7B1D_CDAF)
}

/// Skipping all-zero columns (back-substitution through inactive ReLUs) gives the full product; a NaN column is
/// kept; small products and mostly used columns take the full product.
@Test func productsSkippingZeroColumnsEqualFullProducts() {
    var rng = SplitMix64(seed: 9)
    let rows = 40, inner = 160, cols = 170  // 40·160·170 ≥ 2²⁰: large enough to skip
    let zero = Set((0..<inner).filter { $0 % 3 != 0 })
    var a = Matrix(rows: rows, columns: inner)
    for r in 0..<rows { for c in 0..<inner where !zero.contains(c) { a[r, c] = Double.random(in: -1...1, using: &rng) } }
    let b = Matrix(rows: inner, columns: cols, storage: (0..<(inner * cols)).map { _ in Double.random(in: -1...1, using: &rng) })
    #expect(a.nonzeroColumns == (0..<inner).filter { !zero.contains($0) })
    let full = a.multiplied(by: b), skipped = a.multipliedSkippingZeroColumns(by: b)
    #expect(zip(full.storage, skipped.storage).allSatisfy { abs($0 - $1) <= 1e-12 })
    #expect(a.selectingColumns([2, 0]).column(1) == a.column(0))
    var withNaN = a
    withNaN[5, 1] = .nan
    #expect(withNaN.nonzeroColumns.contains(1))
    #expect(withNaN.multipliedSkippingZeroColumns(by: b)[5, 0].isNaN)
    let empty = Matrix(rows: rows, columns: inner)
    #expect(empty.multipliedSkippingZeroColumns(by: b) == Matrix(rows: rows, columns: cols))
    let small = Matrix(rows: 2, columns: 3, storage: [0, 1, 0, 0, 2, 0])
    let s = Matrix(rows: 3, columns: 2, storage: [1, 2, 3, 4, 5, 6])
    #expect(small.multipliedSkippingZeroColumns(by: s) == small.multiplied(by: s))
}
