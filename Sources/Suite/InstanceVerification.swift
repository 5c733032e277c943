public import Network
public import ONNX
public import VNNLib
public import Verifier

/// How one network and one property file are loaded and verified — shared by `nncert verify NET PROP` and
/// `nncert suite`, so both read files and search the same way.
public enum InstanceVerification {
    /// Unbounded inputs are accepted: the verifier searches a window for a witness and never proves such a case.
    public static let normalization = Query.NormalizationOptions(allowsUnboundedInputs: true)

    /// The network at `path` (`.onnx` or `.nnet`) and, for ONNX, the graph interpreter witnesses are replayed on.
    /// - Throws: ``ONNX/ONNXError`` when the file cannot be read, parsed or supported.
    public static func loadNetwork(atPath path: String) throws(ONNXError) -> (
        network: Network, reference: (any ReferenceEvaluator)?
    ) {
        try NetworkLoader.loadWithReference(path: path)
    }

    /// The property at `path`, normalised with ``normalization``.
    /// - Throws: ``VNNLib/VNNLibError`` naming the file, line and column.
    public static func loadProperty(atPath path: String) throws(VNNLibError) -> Specification {
        try Specification(contentsOfFile: path, options: normalization)
    }

    /// Verifies `specification` on one network; from the leaves of a search trace when `leaves` is given.
    /// - Throws: ``Verifier/VerifierError`` when the property does not fit the network or is not supported.
    public static func verify(
        network: Network, reference: (any ReferenceEvaluator)?, specification: Specification,
        options: VerificationOptions, startingFrom leaves: [SearchLeaf]? = nil
    ) throws(VerifierError) -> VerificationResult {
        let verifier = Verifier(options: options)
        let problem = try VerificationProblem(network: network, specification: specification, reference: reference)
        if let leaves { return try verifier.verify(problem, startingFrom: leaves) }
        return try verifier.verify(problem)
    }
}
