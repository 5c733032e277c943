/// Small vector helpers on `[Double]` used across modules.
public enum Vector {
    /// Dot product. The arrays must have equal length.
    @inlinable
    public static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "dot size mismatch")
        var s = 0.0
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<pa.count { s += pa[i] * pb[i] }
            }
        }
        return s
    }

    /// Euclidean norm.
    @inlinable
    public static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    /// Largest absolute entry (0 for an empty vector).
    @inlinable
    public static func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { Swift.max($0, Swift.abs($1)) } }
}
