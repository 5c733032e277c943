/// An axis-aligned box `{x : lower ≤ x ≤ upper}` in ℝⁿ.
///
/// Used for input regions (a VNN-LIB property's input box) and for interval bounds on a layer's neurons.
public struct Box: Sendable, Hashable {
    /// Lower bounds, one per coordinate.
    public var lower: [Double]
    /// Upper bounds, one per coordinate.
    public var upper: [Double]

    /// A box from its corners. The two arrays must have equal length.
    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "box corner size mismatch")
        self.lower = lower
        self.upper = upper
    }

    /// The degenerate box containing only `point`.
    public init(point: [Double]) { self.init(lower: point, upper: point) }

    /// Number of coordinates.
    public var dimension: Int { lower.count }

    /// True when every coordinate has `lower ≤ upper` and both are not NaN.
    public var isValid: Bool { zip(lower, upper).allSatisfy { $0 <= $1 } }

    /// The midpoint `(lower + upper) / 2`.
    public var center: [Double] { zip(lower, upper).map { ($0 + $1) / 2 } }

    /// Per-coordinate width `upper − lower`.
    public var widths: [Double] { zip(lower, upper).map { $1 - $0 } }

    /// True when `point` lies in the box (closed).
    public func contains(_ point: [Double], tolerance: Double = 0) -> Bool {
        guard point.count == dimension else { return false }
        for i in 0..<dimension where point[i] < lower[i] - tolerance || point[i] > upper[i] + tolerance { return false }
        return true
    }

    /// `point` clamped coordinate-wise into the box.
    public func clamped(_ point: [Double]) -> [Double] {
        (0..<dimension).map { Swift.min(Swift.max(point[$0], lower[$0]), upper[$0]) }
    }

    /// The image of `box` under clamping to this box, `[clamped(box.lower), clamped(box.upper)]`: clamping is
    /// monotone per coordinate, so every point of `box` clamps into it and every point of it is the clamp of one.
    public func clamped(_ box: Box) -> Box {
        Box(lower: clamped(box.lower), upper: clamped(box.upper))
    }

    /// Splits along `coordinate` at its midpoint into (lower half, upper half).
    public func bisected(along coordinate: Int) -> (Box, Box) {
        let mid = (lower[coordinate] + upper[coordinate]) / 2
        var left = self
        var right = self
        left.upper[coordinate] = mid
        right.lower[coordinate] = mid
        return (left, right)
    }
}

/// `{"lower": […], "upper": […]}`.
extension Box: Codable {
    enum CodingKeys: String, CodingKey { case lower, upper }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let lower = try c.decode([Double].self, forKey: .lower), upper = try c.decode([Double].self, forKey: .upper)
        guard lower.count == upper.count else {
            throw DecodingError.dataCorruptedError(forKey: .upper, in: c, debugDescription: "corner sizes differ")
        }
        self.init(lower: lower, upper: upper)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lower, forKey: .lower)
        try c.encode(upper, forKey: .upper)
    }
}
