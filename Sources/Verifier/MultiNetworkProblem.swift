public import Network
import Tensor
public import VNNLib

/// A VNN-LIB 2 query over several networks, as one ``VerificationProblem`` on their product network.
///
/// The networks' inputs are laid out as the ``Specification`` lays them out (one flat vector `x`, network by
/// network); input ties (`X_f[i] == X_g[i]`) merge coordinates of `x` into one coordinate of a shared vector
/// `z` (``InputTies``), and ``product`` verifies `Network.sideBySide` of the networks over `z`, whose output is
/// the specification's flat output vector. Each case's box over `z` is the intersection of the boxes (and exact
/// regions) of the coordinates tied together, so it contains every input that satisfies the ties: a proof on
/// the product covers the query. A counterexample of the product maps back through `x = z[sharedIndex]` and
/// counts only after ``confirm(_:)`` has replayed it on every network separately.
public struct MultiNetworkProblem: Sendable {
    /// The query.
    public let specification: Specification
    /// The model of each declared network, in declaration order (an `equal-to` network has its target's).
    public let networks: [Network]
    /// The stored graph of each network, replayed on counterexamples (nil where none was given).
    public let references: [(any ReferenceEvaluator)?]
    /// How the specification's input coordinates map to the product's shared input.
    public let ties: InputTies
    /// The problem on the product network (its cases are the query's non-empty cases).
    public let product: VerificationProblem
    /// For each case of ``product``, the index of its case in ``specification``.
    public let caseIndices: [Int]

    /// The problem stated by `specification` over the models in `networks`, keyed by declared network name.
    ///
    /// Every declared network needs a model except `equal-to` ones, which reuse their target's (and must not
    /// be given one); an `isomorphic-to` network's model must have its target's structure (layer kinds and
    /// shapes). Declarations are checked against the models as for one network.
    /// - Parameter references: stored graphs by network name (as `NetworkLoader.loadWithReference` returns).
    /// - Throws: ``VerifierError/invalidNetworkBinding(_:)`` for a missing, extra or structurally different model,
    ///   ``VerifierError/unsupportedQuery(_:)`` for declarations the models do not match or input constraints
    ///   other than ties, ``VerifierError/unsupportedNetwork(_:)`` when the product network cannot be built.
    public init(
        networks models: [String: Network], specification spec: Specification,
        references referencesByName: [String: any ReferenceEvaluator] = [:]
    ) throws(VerifierError) {
        let resolved = try Self.resolve(spec, models: models, references: referencesByName)
        let ties = try Self.ties(of: spec)
        let selections = spec.networks.map { binding in binding.inputs[0].range.map { ties.sharedIndex[$0] } }
        let network: Network
        do {
            network = try Network.sideBySide(resolved.networks, inputCount: ties.sharedCount, inputs: selections)
        } catch {
            let numbering = spec.networks.enumerated().map { "\($0.offset + 1) = \($0.element.name)" }
            throw .unsupportedNetwork(
                "the product of the query's networks (\(numbering.joined(separator: ", "))): \(error)")
        }
        var cases: [VerificationProblem.Case] = []
        var indices: [Int] = []
        for (c, propertyCase) in spec.cases.enumerated() {
            guard let shared = Self.sharedCase(propertyCase, ties: ties) else { continue }
            cases.append(shared)
            indices.append(c)
        }
        let evaluator = SeparateNetworks(
            networks: resolved.networks, references: resolved.references, selections: selections)
        specification = spec
        networks = resolved.networks
        references = resolved.references
        self.ties = ties
        caseIndices = indices
        product = try VerificationProblem(network: network, cases: cases, reference: evaluator)
    }

    /// The ties of the query: every case must tie the same coordinates (they share one product network).
    private static func ties(of spec: Specification) throws(VerifierError) -> InputTies {
        var first: InputTies?
        guard spec.hiddenCount == 0 else {
            throw .unsupportedQuery(
                "the query asserts on hidden nodes; multi-network verification reads "
                    + "outputs only (single-network queries may use hidden nodes)")
        }
        for (c, propertyCase) in spec.cases.enumerated() {
            guard !propertyCase.hasMixedConstraints else {
                throw .unsupportedQuery(
                    "case \(c + 1) of the query compares inputs with outputs; multi-network verification reads "
                        + "comparisons of outputs only (single-network queries may mix them)")
            }
            let ties = try InputTies(
                dimension: spec.inputCount, constraints: propertyCase.inputConstraints, name: spec.inputName)
            if let first, first != ties {
                throw .unsupportedQuery(
                    "cases 1 and \(c + 1) of the query tie different inputs together; multi-network verification "
                        + "needs the same ties in every case")
            }
            first = first ?? ties
        }
        if let first { return first }
        return try InputTies(dimension: spec.inputCount, constraints: [], name: spec.inputName)
    }

    /// The case over z: per shared coordinate, the intersection of its members' boxes and regions; nil when
    /// that intersection is empty (no input satisfies the case's ties and bounds).
    static func sharedCase(_ propertyCase: PropertyCase, ties: InputTies) -> VerificationProblem.Case? {
        let n = ties.sharedCount
        var box = Box(lower: [Double](repeating: -.infinity, count: n), upper: [Double](repeating: .infinity, count: n))
        var region = InputRegion(closed: box)
        for (i, z) in ties.sharedIndex.enumerated() {
            let (stated, exact) = (propertyCase.inputBox, propertyCase.inputRegion)
            box.lower[z] = Swift.max(box.lower[z], stated.lower[i])
            box.upper[z] = Swift.min(box.upper[z], stated.upper[i])
            if exact.lower[i] > region.lower[z] || (exact.lower[i] == region.lower[z] && exact.lowerIsOpen[i]) {
                region.lower[z] = exact.lower[i]
                region.lowerIsOpen[z] = exact.lowerIsOpen[i]
            }
            if exact.upper[i] < region.upper[z] || (exact.upper[i] == region.upper[z] && exact.upperIsOpen[i]) {
                region.upper[z] = exact.upper[i]
                region.upperIsOpen[z] = exact.upperIsOpen[i]
            }
        }
        guard box.isValid, !region.isProvablyEmpty else { return nil }
        return VerificationProblem.Case(box: box, inputRegion: region, regions: propertyCase.disjuncts)
    }
}

extension InputRegion {
    /// True when some coordinate admits no value: `lower > upper`, or `lower == upper` with an open side.
    var isProvablyEmpty: Bool {
        lower.indices.contains { i in
            lower[i] > upper[i] || (lower[i] == upper[i] && (lowerIsOpen[i] || upperIsOpen[i]))
        }
    }
}
