public import VNNLib

/// Input coordinates that a property ties together (`X_f[i] == X_g[i]`), as shared coordinates of one vector z.
///
/// A tie arrives from ``VNNLib/Normalizer`` as the two linear constraints `c·x_a − c·x_b ≤ 0` and
/// `c·x_b − c·x_a ≤ 0` (any `c > 0`). Ties are merged by union–find; every class of tied coordinates becomes one
/// coordinate of z, numbered in order of the class's first coordinate. Any other input constraint (a one-sided
/// comparison of two inputs, a sum of several, a non-zero right-hand side) is not a tie and is refused.
public struct InputTies: Sendable, Hashable {
    /// For each coordinate of the specification's flat input vector, its index in z.
    public let sharedIndex: [Int]
    /// Number of coordinates of z.
    public let sharedCount: Int

    /// The ties stated by `constraints` over `dimension` input coordinates.
    /// - Parameter name: the source name of an input coordinate, for messages.
    /// - Throws: ``VerifierError/unsupportedQuery(_:)`` for a constraint that is not half of a tie, or a tie
    ///   half whose mirror is missing.
    public init(dimension: Int, constraints: [LinearConstraint], name: (Int) -> String) throws(VerifierError) {
        var halves = Set<[Int]>()
        for constraint in constraints {
            guard let (below, above) = Self.half(constraint) else {
                let terms = constraint.coefficients.indices.filter { constraint.coefficients[$0] != 0 }
                    .map { "\(constraint.coefficients[$0])·\(name($0))" }
                throw .unsupportedQuery(
                    "the input constraint \(terms.joined(separator: " + ")) \(constraint.isStrict ? "<" : "≤") "
                        + "\(constraint.bound) is not a tie between two inputs (X == Y); multi-network "
                        + "verification supports box bounds and ties only")
            }
            halves.insert([below, above])
        }
        var parent = Array(0..<dimension)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { i = parent[i] }
            return i
        }
        for half in halves {
            guard halves.contains([half[1], half[0]]) else {
                throw .unsupportedQuery(
                    "the input constraint \(name(half[0])) ≤ \(name(half[1])) is one-sided; multi-network "
                        + "verification supports ties (==) between inputs only")
            }
            let (a, b) = (root(half[0]), root(half[1]))
            if a != b { parent[Swift.max(a, b)] = Swift.min(a, b) }
        }
        var index = [Int](repeating: -1, count: dimension)
        var count = 0
        var shared = [Int](repeating: 0, count: dimension)
        for i in 0..<dimension {
            let r = root(i)
            if index[r] < 0 {
                index[r] = count
                count += 1
            }
            shared[i] = index[r]
        }
        sharedIndex = shared
        sharedCount = count
    }

    /// `(a, b)` when `constraint` is `c·x_a − c·x_b ≤ 0` with `c > 0` (that is, `x_a ≤ x_b`).
    private static func half(_ constraint: LinearConstraint) -> (Int, Int)? {
        let terms = constraint.coefficients.indices.filter { constraint.coefficients[$0] != 0 }
        guard terms.count == 2, constraint.bound == 0, !constraint.isStrict else { return nil }
        let (u, v) = (constraint.coefficients[terms[0]], constraint.coefficients[terms[1]])
        guard u == -v else { return nil }
        return u > 0 ? (terms[0], terms[1]) : (terms[1], terms[0])
    }

    /// The specification's flat input vector for a point `z` of the shared coordinates.
    public func expand<T>(_ z: [T]) -> [T] { sharedIndex.map { z[$0] } }
}
