extension Query {
    /// Settings of ``specification(options:)``.
    public struct NormalizationOptions: Sendable, Hashable {
        /// The largest number of terms the disjunctive normal form may have.
        public var maximumDisjuncts: Int
        /// Rounds of bound propagation through input constraints used to bound inputs that have no box bound
        /// of their own (e.g. `X_g` tied to a bounded `X_f` by `==`).
        public var boundPropagationRounds: Int
        /// The largest size (terms × comparisons of the query) of the expanded normal form; bounds the memory a
        /// small file with many disjunctions over many comparisons can demand.
        public var maximumNormalFormSize: Int
        /// Accept inputs that some case leaves unbounded (their box bounds are then infinite); when false (the
        /// default), such a case is refused with `unboundedInput`, since proofs and most analyses need a box.
        public var allowsUnboundedInputs: Bool
        /// Accept comparisons that mix inputs and outputs (`Y[0] ≥ X[0] + 0.5`), kept per disjunct in
        /// ``PropertyCase/mixedConstraints``; when false (the default), they are refused with `unsupportedConstruct`,
        /// since only the verifier reads those rows (on `x ↦ [f(x); x]`) and every other analysis would ignore them.
        public var allowsMixedComparisons: Bool
        /// Accept assertions on hidden nodes (`declare-hidden`), as rows over `[y; h; x]` in
        /// ``PropertyCase/mixedConstraints`` with the nodes' offsets in ``NetworkBinding/hiddenVariables`` (mixed
        /// comparisons are then accepted too: both are rows over `[y; h; x]` for the same reader); when false (the
        /// default) they are refused with `unsupportedConstruct`.
        public var allowsHiddenNodes: Bool

        /// Options with every field defaulted.
        public init(
            maximumDisjuncts: Int = 100_000, boundPropagationRounds: Int = 8, maximumNormalFormSize: Int = 20_000_000,
            allowsUnboundedInputs: Bool = false, allowsMixedComparisons: Bool = false, allowsHiddenNodes: Bool = false
        ) {
            self.allowsUnboundedInputs = allowsUnboundedInputs
            self.allowsMixedComparisons = allowsMixedComparisons
            self.allowsHiddenNodes = allowsHiddenNodes
            self.maximumDisjuncts = maximumDisjuncts
            self.maximumNormalFormSize = maximumNormalFormSize
            self.boundPropagationRounds = boundPropagationRounds
        }
    }

    /// Normalises the query to cases of (input box, input constraints, disjunction of output polytopes).
    ///
    /// The conjunction of all assertions is expanded to disjunctive normal form (cross product, at most
    /// `maximumDisjuncts` terms). In each term, input-only comparisons `v op c` become box bounds (a strict
    /// bound is closed: the box is the closure of the region), other input-only comparisons are kept as
    /// ``LinearConstraint``s, and output-only comparisons become rows of a polytope (`≥` negated to `≤`, `==` two
    /// rows). Terms with an empty box or a false constant comparison are dropped; terms with the same input part
    /// share one ``PropertyCase``. Every input must then be bounded in every case, unless
    /// ``NormalizationOptions/allowsUnboundedInputs``.
    /// Comparisons mixing inputs and outputs, and those reading hidden nodes, become rows over `[y; h; x]` of the
    /// term's disjunct (``PropertyCase/mixedConstraints``) when ``NormalizationOptions/allowsMixedComparisons`` or
    /// ``NormalizationOptions/allowsHiddenNodes``.
    /// - Throws: `unsupportedConstruct` for `!=`, and (by default) hidden variables and comparisons mixing inputs
    ///   and outputs;
    ///   `tooManyDisjuncts`; `unboundedInput`.
    public func specification(options: NormalizationOptions = NormalizationOptions()) throws(VNNLibError)
        -> Specification
    {
        var normalizer = Normalizer(query: self, options: options)
        return try normalizer.run()
    }
}
