public import Network
public import VNNLib

extension VerificationProblem {
    /// The problem stated by a single-network VNN-LIB specification.
    ///
    /// - Throws: ``VerifierError/unsupportedQuery(_:)`` for several networks or input constraints beyond a box
    ///   (parsed and represented by VNNLib, not yet verified), ``VerifierError/dimensionMismatch(what:expected:found:)``
    ///   when the property's variable counts differ from the network's.
    public init(network: Network, specification spec: Specification) throws(VerifierError) {
        if spec.networks.count > 1 {
            throw .unsupportedQuery(
                "the query declares \(spec.networks.count) networks (\(spec.networks.map(\.name).joined(separator: ", "))); verification of multi-network queries is not implemented yet")
        }
        guard spec.inputCount == network.inputCount else {
            throw .dimensionMismatch(what: "property inputs", expected: network.inputCount, found: spec.inputCount)
        }
        guard spec.outputCount == network.outputCount else {
            throw .dimensionMismatch(what: "property outputs", expected: network.outputCount, found: spec.outputCount)
        }
        var cases: [Case] = []
        for (k, c) in spec.cases.enumerated() {
            guard c.inputConstraints.isEmpty else {
                throw .unsupportedQuery("case \(k) constrains inputs beyond a box (\(c.inputConstraints.count) linear constraints)")
            }
            cases.append(Case(box: c.inputBox, regions: c.disjuncts))
        }
        try self.init(network: network, cases: cases)
    }
}
