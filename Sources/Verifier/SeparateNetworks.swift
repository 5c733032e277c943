public import Network

/// Several networks evaluated one by one on a shared input vector z: network `k` reads `z[selections[k][j]]`
/// as its input `j`, and the outputs are concatenated in order.
///
/// As the ``Network/ReferenceEvaluator`` of a product network's problem, it makes the search's
/// ``WitnessCheck`` replay every candidate on the separate networks (each network's ONNX graph when one is
/// given, its own Float32 forward pass otherwise), so a point that violates the property only through the
/// product network's rounding is rejected and the search goes on.
public struct SeparateNetworks: ReferenceEvaluator {
    /// The networks, in the specification's declaration order.
    public var networks: [Network]
    /// Each network's stored graph, replayed instead of its Float32 pass when present.
    public var references: [(any ReferenceEvaluator)?]
    /// For each network, the index into z of each of its inputs.
    public var selections: [[Int]]

    /// Networks on a shared input; the three arrays have one entry per network.
    public init(networks: [Network], references: [(any ReferenceEvaluator)?], selections: [[Int]]) {
        precondition(networks.count == references.count && networks.count == selections.count, "one entry per network")
        self.networks = networks
        self.references = references
        self.selections = selections
    }

    /// The concatenated Float32 outputs at `z` (replays where given); nil when a replay fails.
    public func evaluate(_ z: [Float]) -> [Float]? {
        var out: [Float] = []
        for k in networks.indices {
            let x = selections[k].map { z[$0] }
            if let reference = references[k] {
                guard let y = reference.evaluate(x) else { return nil }
                out += y
            } else {
                out += networks[k].evaluate(x)
            }
        }
        return out
    }
}
