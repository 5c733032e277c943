/// Exact sums and dot products of `Double`s (Shewchuk's adaptive expansions, as Python's `math.fsum`).
///
/// The witness checks use it: whether a counterexample satisfies `c·y ≤ d` must be decided on the exact real
/// value of `c·y − d`, not on a rounded sum that may sit one ulp on the wrong side of `d`.
public struct ExactSum: Sendable {
    /// Non-overlapping partial sums whose exact total is the running sum, smallest magnitude first.
    private var partials: [Double] = []
    /// False once a term or a product overflowed or was not finite: the sum is then unknown.
    public private(set) var isExact = true

    /// An empty sum.
    public init() {}

    /// Adds `x` exactly.
    public mutating func add(_ x: Double) {
        guard x.isFinite else {
            isExact = false
            return
        }
        var x = x
        var kept = 0
        for i in partials.indices {
            var y = partials[i]
            if abs(x) < abs(y) { swap(&x, &y) }
            let high = x + y
            guard high.isFinite else {
                isExact = false
                return
            }
            let low = y - (high - x)
            if low != 0 {
                partials[kept] = low
                kept += 1
            }
            x = high
        }
        partials.removeSubrange(kept...)
        partials.append(x)
    }

    /// Adds the exact product `a·b` (split into its rounded value and the error `fma` recovers).
    public mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        guard p.isFinite else {
            isExact = false
            return
        }
        add(p)
        // The error term is exact unless the product is tiny enough to lose bits to underflow.
        if a != 0, b != 0, abs(p) < Double.leastNormalMagnitude * 0x1p53 { isExact = false }
        add((-p).addingProduct(a, b))
    }

    /// The sign of the exact sum: −1, 0 or 1; nil when the sum is not known exactly.
    public var sign: Int? {
        guard isExact else { return nil }
        // The partials do not overlap, so the largest one carries the sign of the total.
        guard let top = partials.last(where: { $0 != 0 }) else { return 0 }
        return top > 0 ? 1 : -1
    }

    /// The smallest `Double` at or above the exact sum (nil when the sum is not known exactly or exceeds the
    /// finite range).
    public var roundedUp: Double? {
        guard isExact else { return nil }
        var value = partials.reduce(0, +)
        // The rounded total of non-overlapping partials is within an ulp or two of the exact sum: step up while it
        // is below.
        for _ in 0..<4 {
            guard value.isFinite else { return nil }
            var rest = self
            rest.add(-value)
            guard let s = rest.sign else { return nil }
            if s <= 0 {
                // value ≥ exact sum; step down while the next value below still is.
                while true {
                    let below = value.nextDown
                    var check = self
                    check.add(-below)
                    guard check.sign.map({ $0 <= 0 }) == true else { return value }
                    value = below
                }
            }
            value = value.nextUp
        }
        return nil
    }

    /// True when the exact value of `Σ coefficients[i]·x[i] − bound` is `≤ 0` (or `< 0` when `strict`); false when
    /// it is not or cannot be decided exactly.
    public static func isAtMost(
        _ coefficients: UnsafeBufferPointer<Double>, dot x: [Double], bound: Double, strict: Bool
    ) -> Bool {
        var sum = ExactSum()
        for i in 0..<Swift.min(coefficients.count, x.count) where coefficients[i] != 0 {
            sum.addProduct(coefficients[i], x[i])
        }
        sum.add(-bound)
        guard let s = sum.sign else { return false }
        return strict ? s < 0 : s <= 0
    }
}
