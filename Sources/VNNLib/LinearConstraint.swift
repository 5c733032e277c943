import Tensor

/// A linear constraint `coefficients · x ≤ bound` (or `<` when `isStrict`) over a flat vector.
public struct LinearConstraint: Sendable, Hashable {
    /// One coefficient per coordinate of the vector.
    public var coefficients: [Double]
    /// The right-hand side.
    public var bound: Double
    /// True for `<`, false for `≤`.
    public var isStrict: Bool

    /// A constraint from its parts.
    public init(coefficients: [Double], bound: Double, isStrict: Bool = false) {
        self.coefficients = coefficients
        self.bound = bound
        self.isStrict = isStrict
    }

    /// `coefficients · x`, accumulated in `Double`.
    @inlinable
    public func value(at x: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<Swift.min(x.count, coefficients.count) where coefficients[i] != 0 { sum += coefficients[i] * x[i] }
        return sum
    }

    /// True when `x` satisfies the constraint: decided on the exact value of `coefficients · x − bound` (strict
    /// rows use `<`); with a positive `tolerance`, on the rounded sum relaxed by it (a diagnostic).
    public func isSatisfied(by x: [Double], tolerance: Double = 0) -> Bool {
        guard x.count == coefficients.count else { return false }
        if tolerance > 0 {
            let lhs = value(at: x)
            return isStrict ? lhs < bound + tolerance : lhs <= bound + tolerance
        }
        return coefficients.withUnsafeBufferPointer {
            ExactSum.isAtMost($0, dot: x, bound: bound, strict: isStrict)
        }
    }
}
