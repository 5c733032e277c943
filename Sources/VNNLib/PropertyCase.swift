public import Tensor

/// One input region of a property with the output polytopes that witness a violation there.
///
/// The property is violated in this case when some `x` in ``inputRegion`` satisfying ``inputConstraints`` maps
/// to an output inside any of the ``disjuncts``. Proofs cover the closed ``inputBox``, which contains that set.
public struct PropertyCase: Sendable, Hashable {
    /// A closed box that contains every input of the case: strict bounds closed, inexact bounds rounded outward.
    /// What proofs cover (finite).
    public var inputBox: Box
    /// The input bounds exactly as stated (open where strict, rounded inward): what a witness must satisfy.
    public var inputRegion: InputRegion
    /// Further input constraints that are not single-variable bounds (e.g. `X_f[0] == X_g[0]` in VNN-LIB 2).
    public var inputConstraints: [LinearConstraint]
    /// The violating output regions, a disjunction.
    public var disjuncts: [OutputPolytope]
    /// Per disjunct, rows over `[y; h; x]` (the outputs, the hidden-node values, then the inputs) from
    /// comparisons that mix inputs and outputs or read hidden nodes: the disjunct is reached when its polytope
    /// *and* these rows hold. Empty unless the query has such comparisons
    /// (``Query/NormalizationOptions/allowsMixedComparisons``, ``Query/NormalizationOptions/allowsHiddenNodes``).
    public var mixedConstraints: [[LinearConstraint]]

    /// A case from its parts; `inputRegion` defaults to the closed `inputBox`.
    public init(
        inputBox: Box, inputRegion: InputRegion? = nil, inputConstraints: [LinearConstraint] = [],
        disjuncts: [OutputPolytope]
    ) {
        self.inputBox = inputBox
        self.inputRegion = inputRegion ?? InputRegion(closed: inputBox)
        self.inputConstraints = inputConstraints
        self.disjuncts = disjuncts
        mixedConstraints = []
    }

    /// True when some disjunct has rows that mix inputs and outputs.
    public var hasMixedConstraints: Bool { mixedConstraints.contains { !$0.isEmpty } }

    /// Disjunct `k`'s rows over `[y; h; x]` (none when the case has no such rows).
    public func mixedConstraints(ofDisjunct k: Int) -> [LinearConstraint] {
        mixedConstraints.indices.contains(k) ? mixedConstraints[k] : []
    }

    /// True when `input` lies in the input region and satisfies the input constraints, decided exactly; with a
    /// positive `tolerance`, in the closed box and constraints each relaxed by it (a diagnostic).
    public func contains(input: [Double], tolerance: Double = 0) -> Bool {
        let inBox = tolerance > 0
            ? inputBox.contains(input, tolerance: tolerance) : inputRegion.contains(input) && inputBox.contains(input)
        return inBox && inputConstraints.allSatisfy { $0.isSatisfied(by: input, tolerance: tolerance) }
    }

    /// The `Float` overload.
    public func contains(input: [Float], tolerance: Double = 0) -> Bool {
        contains(input: input.map(Double.init), tolerance: tolerance)
    }
}
