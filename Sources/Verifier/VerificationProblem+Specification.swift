public import Network
import Tensor
public import VNNLib

extension VerificationProblem {
    /// The problem stated by a single-network VNN-LIB specification.
    ///
    /// Linear input constraints beyond a box, comparisons mixing inputs and outputs, and hidden nodes are
    /// verified on `x ↦ [network(x); h(x); x]` (``InputConstraintLifting``).
    /// - Throws: ``VerifierError/unsupportedQuery(_:)`` for several networks (a ``MultiNetworkProblem`` states
    ///   those) or input constraints on a network that cannot be lifted, ``VerifierError/dimensionMismatch(what:expected:found:)``
    ///   when the property's variable counts differ from the network's.
    /// - Parameter hiddenLayers: for a query with hidden nodes (``VNNLib/Specification/hiddenCount``), the number of
    ///   the network's layers that compute each (`NetworkLoader.loadWithReference(path:tapping:)`), in declaration
    ///   order.
    public init(
        network: Network, specification spec: Specification, reference: (any ReferenceEvaluator)? = nil,
        hiddenLayers: [Int] = []
    ) throws(VerifierError) {
        if spec.networks.count > 1 {
            throw .unsupportedQuery(
                "the query declares \(spec.networks.count) networks (\(spec.networks.map(\.name).joined(separator: ", "))); bind a model to each (nncert verify QUERY --network NAME=MODEL.onnx …) to verify it on their product network")
        }
        if spec.version.major >= 2, let binding = spec.networks.first {
            try Self.checkDeclarations(binding, against: network)
        }
        guard spec.inputCount == network.inputCount else {
            throw .dimensionMismatch(what: "property inputs", expected: network.inputCount, found: spec.inputCount)
        }
        guard spec.outputCount == network.outputCount else {
            throw .dimensionMismatch(what: "property outputs", expected: network.outputCount, found: spec.outputCount)
        }
        let hidden = spec.networks.first?.hiddenVariables ?? []
        guard hidden.count == hiddenLayers.count else {
            throw .unsupportedQuery(
                "the query declares \(hidden.count) hidden nodes; \(hiddenLayers.count) were located in the model")
        }
        for (variable, k) in zip(hidden, hiddenLayers) {
            guard (0...network.layers.count).contains(k) else {
                throw .invalidProperty(
                    "hidden node \(variable.declaration.name) is located after layer \(k); the network has "
                        + "\(network.layers.count)")
            }
            let count = network.inputShape(ofLayer: k).reduce(1, *)
            guard count == variable.declaration.elementCount else {
                throw .dimensionMismatch(
                    what: "hidden node \(variable.declaration.name)", expected: count,
                    found: variable.declaration.elementCount)
            }
        }
        let lifts = spec.hiddenCount > 0 || spec.cases.contains { !$0.inputConstraints.isEmpty || $0.hasMixedConstraints }
        let lifting = lifts ? try InputConstraintLifting(network, hiddenLayers: hiddenLayers) : nil
        var cases: [Case] = []
        for c in spec.cases {
            let (box, isWindow) = Self.searchWindow(c.inputBox)
            let regions = lifting.map { l in
                c.disjuncts.indices.map { d in
                    l.region(c.disjuncts[d], adding: c.inputConstraints, mixed: c.mixedConstraints(ofDisjunct: d))
                }
            } ?? c.disjuncts
            cases.append(Case(box: box, inputRegion: c.inputRegion, regions: regions, isWindow: isWindow))
        }
        try self.init(
            network: lifting?.network ?? network, cases: cases,
            reference: lifting == nil ? reference : reference.map { InputConstraintLifting.AppendingInput(base: $0) })
        reportedOutputCount = lifting?.outputCount
        reportedHiddenCount = lifting?.hiddenCount ?? 0
        float16Inputs = spec.float16Inputs
    }

    /// The half-width of the search window of an input the query leaves unbounded.
    static let windowRadius = 1.0

    /// `box` with every infinite side replaced by a finite one (``windowRadius`` around 0 when both sides are
    /// infinite, `2 · windowRadius` from the finite side otherwise), and whether any side was replaced.
    static func searchWindow(_ box: Box) -> (Box, Bool) {
        var window = box
        let r = windowRadius
        for i in 0..<box.dimension {
            switch (box.lower[i].isFinite, box.upper[i].isFinite) {
            case (true, true): continue
            case (false, false): (window.lower[i], window.upper[i]) = (-r, r)
            case (true, false): window.upper[i] = box.lower[i] + 2 * r
            case (false, true): window.lower[i] = box.upper[i] - 2 * r
            }
        }
        return (window, window != box)
    }

    /// Element types nncert verifies: reals and the floating-point types that hold every Float32 witness.
    static let supportedElementTypes: Set<ElementType> = [.real, .float16, .float32, .float64]

    /// Checks a VNN-LIB 2 network declaration against the model: one input and one output tensor, element types
    /// nncert verifies, and shapes equal to the model's (or, leniently, the same tensor flattened to one axis, or
    /// without the model's leading batch dimension of 1, as the VNNLIB/Benchmarks conversions write them).
    static func checkDeclarations(_ binding: NetworkBinding, against network: Network) throws(VerifierError) {
        for (role, variables, shape) in [
            ("input", binding.inputs, network.inputShape), ("output", binding.outputs, network.outputShape),
        ] {
            guard variables.count == 1 else {
                let place = variables.dropFirst().first.map { " (\(describe($0.declaration)))" } ?? ""
                throw .unsupportedQuery(
                    "network \(binding.name) declares \(variables.count) \(role) tensors\(place); the model has one")
            }
            let declaration = variables[0].declaration
            let constantIntegers = role == "output" && holdsExactly(network.constantOutput, declaration.elementType)
            guard supportedElementTypes.contains(declaration.elementType) || constantIntegers else {
                throw .unsupportedQuery(
                    "\(describe(declaration)): element type \(declaration.elementType.rawValue) is not supported "
                        + "(nncert verifies real, float32 and float64 \(role)s, and integer outputs only of a model "
                        + "whose output is a constant of that type)")
            }
            guard shapeMatches(declared: declaration.shape, model: shape) else {
                throw .unsupportedQuery(
                    "\(describe(declaration)): declared shape \(declaration.shape) does not match the model's \(role) "
                        + "shape \(shape)")
            }
        }
    }

    /// True when `type` is an integer type holding every value of `constant` exactly: an integer output
    /// declaration over a model whose output does not depend on the input (`Shape`) then means what the reals do.
    static func holdsExactly(_ constant: [Double]?, _ type: ElementType) -> Bool {
        guard let constant, let range = type.integerRange else { return false }
        return constant.allSatisfy { $0.rounded() == $0 && range.contains($0) }
    }

    /// `NAME TYPE [shape] at line:column`.
    private static func describe(_ d: VariableDeclaration) -> String {
        "\(d.role == .input ? "input" : "output") \(d.name) \(d.elementType.rawValue) \(d.shape) at \(d.location)"
    }

    /// True when `declared` is `model`, `model` without a leading 1, or `model` flattened to one axis.
    static func shapeMatches(declared: [Int], model: [Int]) -> Bool {
        if declared == model { return true }
        if model.first == 1, declared == Array(model.dropFirst()) { return true }
        let count = model.reduce(1, *)
        return declared.count == 1 && declared[0] == count
    }
}
