public import Tensor

/// The input set of a property case as stated, for deciding whether a concrete input is a witness.
///
/// Per coordinate a lower and an upper bound, each closed (`<=`, `>=`) or open (`<`, `>`), rounded *inward*
/// where the source's arithmetic was inexact (`(<= (* 3 X_0) 1)` gives an upper bound just below 1/3), so that
/// ``contains(_:)`` implies that the stated comparisons hold exactly. Proofs use the case's closed
/// ``PropertyCase/inputBox`` instead, which contains this region: closing a bound or rounding it outward only
/// enlarges the set a proof covers.
public struct InputRegion: Sendable, Hashable {
    /// Lower bounds, one per coordinate (−∞ when none is stated).
    public var lower: [Double]
    /// Upper bounds, one per coordinate (+∞ when none is stated).
    public var upper: [Double]
    /// True where the lower bound is strict (`x > lower`).
    public var lowerIsOpen: [Bool]
    /// True where the upper bound is strict (`x < upper`).
    public var upperIsOpen: [Bool]

    /// A region from its parts; the four arrays must have equal length.
    public init(lower: [Double], upper: [Double], lowerIsOpen: [Bool], upperIsOpen: [Bool]) {
        precondition(
            lower.count == upper.count && lower.count == lowerIsOpen.count && lower.count == upperIsOpen.count,
            "input region size mismatch")
        self.lower = lower
        self.upper = upper
        self.lowerIsOpen = lowerIsOpen
        self.upperIsOpen = upperIsOpen
    }

    /// The closed region equal to `box`.
    public init(closed box: Box) {
        let closed = [Bool](repeating: false, count: box.dimension)
        self.init(lower: box.lower, upper: box.upper, lowerIsOpen: closed, upperIsOpen: closed)
    }

    /// The unbounded region of `dimension` coordinates.
    init(unbounded dimension: Int) {
        let closed = [Bool](repeating: false, count: dimension)
        self.init(
            lower: [Double](repeating: -.infinity, count: dimension),
            upper: [Double](repeating: .infinity, count: dimension), lowerIsOpen: closed, upperIsOpen: closed)
    }

    /// Number of coordinates.
    public var dimension: Int { lower.count }

    /// True when coordinate `i` lies inside the region (exact comparisons, strict where the bound is open).
    public func contains(coordinate i: Int, value x: Double) -> Bool {
        let aboveLower = lowerIsOpen[i] ? x > lower[i] : x >= lower[i]
        let belowUpper = upperIsOpen[i] ? x < upper[i] : x <= upper[i]
        return aboveLower && belowUpper
    }

    /// True when `point` lies inside the region, or, with a positive `tolerance`, inside the closed region widened
    /// by it (a diagnostic for tests; witnesses are always checked with tolerance 0).
    public func contains(_ point: [Double], tolerance: Double = 0) -> Bool {
        guard point.count == dimension else { return false }
        if tolerance > 0 {
            return Box(lower: lower, upper: upper).contains(point, tolerance: tolerance)
        }
        return point.indices.allSatisfy { contains(coordinate: $0, value: point[$0]) }
    }

    /// Tightens coordinate `i`'s lower bound to `value` (open or closed): the larger bound wins, and at equal
    /// values an open side wins.
    mutating func raiseLower(_ i: Int, to value: Double, isOpen: Bool) {
        if value > lower[i] {
            lower[i] = value
            lowerIsOpen[i] = isOpen
        } else if value == lower[i] {
            lowerIsOpen[i] = lowerIsOpen[i] || isOpen
        }
    }

    /// Tightens coordinate `i`'s upper bound to `value` (open or closed).
    mutating func lowerUpper(_ i: Int, to value: Double, isOpen: Bool) {
        if value < upper[i] {
            upper[i] = value
            upperIsOpen[i] = isOpen
        } else if value == upper[i] {
            upperIsOpen[i] = upperIsOpen[i] || isOpen
        }
    }
}
