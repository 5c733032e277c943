import Tensor
import Testing

/// ``ExactSum`` decides signs of sums and dot products exactly, where rounded arithmetic errs.
struct ExactSumTests {
    static func sign(_ values: [Double]) -> Int? {
        var sum = ExactSum()
        for v in values { sum.add(v) }
        return sum.sign
    }

    @Test func signsThatRoundedSumsGetWrong() {
        // 0.1 + 0.2 − 0.3 rounds to 5.55e-17, but the exact sum of these three Doubles is 2.78e-17 > 0.
        #expect(Self.sign([0.1, 0.2, -0.3]) == 1)
        // 1e100 + 1 − 1e100 rounds to 0; exactly it is 1.
        #expect(Self.sign([1e100, 1, -1e100]) == 1)
        #expect(Self.sign([1e100, -1, -1e100]) == -1)
        #expect(Self.sign([1, -1, 0x1p-60, -0x1p-60]) == 0)
        #expect(Self.sign([]) == 0)
    }

    @Test func productsAreExact() {
        // (1 + 2⁻³⁰)² = 1 + 2⁻²⁹ + 2⁻⁶⁰: the last term is lost by a rounded product, kept by the exact one.
        let a = 1 + 0x1p-30
        #expect(a * a - (1 + 0x1p-29) == 0)
        var sum = ExactSum()
        sum.addProduct(a, a)
        sum.add(-(1 + 0x1p-29))
        #expect(sum.sign == 1)
    }

    @Test func dotProductComparisons() {
        let c: [Double] = [1, -1]
        c.withUnsafeBufferPointer { row in
            #expect(ExactSum.isAtMost(row, dot: [0.5, 0.5], bound: 0, strict: false))
            #expect(!ExactSum.isAtMost(row, dot: [0.5, 0.5], bound: 0, strict: true))
            #expect(!ExactSum.isAtMost(row, dot: [(0.5).nextUp, 0.5], bound: 0, strict: false))
            #expect(ExactSum.isAtMost(row, dot: [0.5, (0.5).nextUp], bound: 0, strict: true))
        }
    }

    @Test func overflowAndNaNAreNeverDecided() {
        #expect(Self.sign([.greatestFiniteMagnitude, .greatestFiniteMagnitude]) == nil)
        #expect(Self.sign([1, .nan]) == nil)
        var sum = ExactSum()
        sum.addProduct(1e-200, 1e-200)  // underflows: the product is not known exactly
        #expect(sum.sign == nil)
    }
}
