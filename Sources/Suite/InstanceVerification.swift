public import Network
public import ONNX
public import VNNLib
public import Verifier

/// How one network and one property file are loaded and verified — shared by `nncert verify NET PROP` and
/// `nncert suite`, so both read files and search the same way.
public enum InstanceVerification {
    /// Unbounded inputs are accepted (the verifier searches a window for a witness and never proves such a case),
    /// and so are comparisons mixing inputs and outputs and assertions on hidden nodes (verified on
    /// `x ↦ [f(x); h(x); x]`).
    public static let normalization = Query.NormalizationOptions(
        allowsUnboundedInputs: true, allowsMixedComparisons: true, allowsHiddenNodes: true)

    /// The network at `path` (`.onnx` or `.nnet`) and, for ONNX, the graph interpreter witnesses are replayed on.
    /// - Throws: ``ONNX/ONNXError`` when the file cannot be read, parsed or supported.
    public static func loadNetwork(atPath path: String) throws(ONNXError) -> (
        network: Network, reference: (any ReferenceEvaluator)?
    ) {
        try NetworkLoader.loadWithReference(path: path)
    }

    /// `loaded` (the network at `path`, ``loadNetwork(atPath:)``) with no hidden-node layers, or, when
    /// `specification` asserts on hidden nodes, the network read again keeping their tensors as outputs of layer
    /// prefixes (`taps`, for ``Verifier/VerificationProblem/init(network:specification:reference:hiddenLayers:)``).
    /// The first read comes before the property's, so that a bad network is reported first.
    /// - Throws: ``ONNX/ONNXError`` for a hidden node that names no tensor of the chain.
    public static func keepingHiddenNodes(
        of specification: Specification, atPath path: String,
        loaded: (network: Network, reference: (any ReferenceEvaluator)?)
    ) throws(ONNXError) -> (network: Network, reference: (any ReferenceEvaluator)?, taps: [Int]) {
        guard specification.hiddenCount > 0 else { return (loaded.network, loaded.reference, []) }
        let names = specification.networks.first?.hiddenVariables.map { $0.declaration.onnxName ?? "" } ?? []
        return try NetworkLoader.loadWithReference(path: path, tapping: names)
    }

    /// The property at `path`, normalised with ``normalization``.
    /// - Throws: ``VNNLib/VNNLibError`` naming the file, line and column.
    public static func loadProperty(atPath path: String) throws(VNNLibError) -> Specification {
        try Specification(contentsOfFile: path, options: normalization)
    }

    /// Where a search starts.
    public enum SearchStart: Sendable {
        /// Each case's root.
        case root
        /// The leaves of this problem's own search trace (`verify --resume`).
        case leaves([SearchLeaf])
        /// Another network's proof of the same property (`verify --reuse`, a proof-cache entry), as read from its
        /// file: the node records are decoded only if the search needs them.
        case reuse(SearchTrace.Lines)
    }

    /// Verifies `specification` on one network, starting as `start` says.
    /// - Throws: ``Verifier/VerifierError`` when the property does not fit the network or is not supported, or a
    ///   reused trace belongs to another property.
    /// `hiddenLayers`: the layer counts of the hidden nodes' tensors (``keepingHiddenNodes(of:atPath:loaded:)``).
    public static func verify(
        network: Network, reference: (any ReferenceEvaluator)?, specification: Specification,
        options: VerificationOptions, start: SearchStart = .root, hiddenLayers: [Int] = []
    ) throws(VerifierError) -> VerificationResult {
        let problem = try VerificationProblem(
            network: network, specification: specification, reference: reference, hiddenLayers: hiddenLayers)
        return try verify(problem, options: options, start: start)
    }

    /// Verifies `problem`, starting as `start` says.
    /// - Throws: ``Verifier/VerifierError``.
    public static func verify(_ problem: VerificationProblem, options: VerificationOptions, start: SearchStart)
        throws(VerifierError) -> VerificationResult
    {
        let verifier = Verifier(options: options)
        switch start {
        case .root: return try verifier.verify(problem)
        case .leaves(let leaves): return try verifier.verify(problem, startingFrom: leaves)
        case .reuse(let trace): return try verifier.verify(problem, reusing: trace)
        }
    }
}
