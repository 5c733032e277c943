public import Tensor

/// One input region of a property with the output polytopes that witness a violation there.
///
/// The property is violated in this case when some `x` in ``inputBox`` satisfying ``inputConstraints`` maps
/// to an output inside any of the ``disjuncts``.
public struct PropertyCase: Sendable, Hashable {
    /// Bounds of every input coordinate (finite).
    public var inputBox: Box
    /// Further input constraints that are not single-variable bounds (e.g. `X_f[0] == X_g[0]` in VNN-LIB 2).
    public var inputConstraints: [LinearConstraint]
    /// The violating output regions, a disjunction.
    public var disjuncts: [OutputPolytope]

    /// A case from its parts.
    public init(inputBox: Box, inputConstraints: [LinearConstraint] = [], disjuncts: [OutputPolytope]) {
        self.inputBox = inputBox
        self.inputConstraints = inputConstraints
        self.disjuncts = disjuncts
    }

    /// True when `input` lies in the box and satisfies the input constraints, each relaxed by `tolerance`.
    public func contains(input: [Double], tolerance: Double = 0) -> Bool {
        inputBox.contains(input, tolerance: tolerance)
            && inputConstraints.allSatisfy { $0.isSatisfied(by: input, tolerance: tolerance) }
    }

    /// The `Float` overload.
    public func contains(input: [Float], tolerance: Double = 0) -> Bool {
        contains(input: input.map(Double.init), tolerance: tolerance)
    }
}
