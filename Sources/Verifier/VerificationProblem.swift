public import Network
public import VNNLib
public import Tensor

/// What branch and bound works on: a network and cases of (input box, output regions to refute).
///
/// The property holds (``Verdict/proven``) when, for every case, no input in the box reaches any region.
public struct VerificationProblem: Sendable {
    /// One input box with its disjunction of output regions.
    public struct Case: Sendable, Hashable {
        /// The closed input box that proofs cover.
        public var box: Box
        /// The inputs a witness may take (strict bounds excluded); contained in ``box``.
        public var inputRegion: InputRegion
        /// The disjuncts: reaching any one of them violates the property.
        public var regions: [OutputPolytope]
        /// True when ``box`` is only a search window inside an unbounded input region (the query leaves some
        /// input unbounded): a witness in it is a witness, but a proof over it proves nothing, so the verdict is
        /// never ``Verdict/proven``.
        public var isWindow: Bool

        /// A case; `inputRegion` defaults to the closed `box`.
        public init(box: Box, inputRegion: InputRegion? = nil, regions: [OutputPolytope], isWindow: Bool = false) {
            self.box = box
            self.inputRegion = inputRegion ?? InputRegion(closed: box)
            self.regions = regions
            self.isWindow = isWindow
        }
    }

    /// The network.
    public var network: Network
    /// The cases.
    public var cases: [Case]
    /// The model as stored (the ONNX graph), replayed on every counterexample before it is reported.
    public var reference: (any ReferenceEvaluator)?
    /// Input coordinates declared `float16`: a counterexample must give them Float16 values, else the verdict is
    /// ``Verdict/unknown(reason:)``.
    public var float16Inputs: [Int] = []
    /// When the network is a lifting `x ↦ [f(x); h(x); x]` (``InputConstraintLifting``: input constraints beyond a
    /// box, mixed comparisons, hidden nodes), `f`'s output count: counterexamples are reported with those outputs
    /// only.
    public internal(set) var reportedOutputCount: Int?
    /// The number of hidden-node values after those outputs (``Counterexample/hiddenValues``).
    public internal(set) var reportedHiddenCount = 0
    /// For the product network of an equivalence query between two networks of one structure: certified bounds on
    /// `g − f` that may refute a node's regions where the product's own bounds do not (``NodeProcessor``).
    var differenceRefuter: DifferentialScreen?

    /// A problem; every box must have the network's input dimension and every region its output dimension.
    public init(network: Network, cases: [Case], reference: (any ReferenceEvaluator)? = nil) throws(VerifierError) {
        for (k, c) in cases.enumerated() {
            guard c.box.dimension == network.inputCount, c.inputRegion.dimension == c.box.dimension else {
                throw .dimensionMismatch(what: "input box of case \(k)", expected: network.inputCount, found: c.box.dimension)
            }
            guard c.box.isValid, c.box.lower.allSatisfy(\.isFinite), c.box.upper.allSatisfy(\.isFinite) else {
                throw .invalidProperty("input box of case \(k) is empty or unbounded")
            }
            for r in c.regions where r.coefficients.columns != network.outputCount {
                throw .dimensionMismatch(what: "output constraints of case \(k)", expected: network.outputCount,
                                         found: r.coefficients.columns)
            }
        }
        self.network = network
        self.cases = cases
        self.reference = reference
    }
}
