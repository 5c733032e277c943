/// A ReLU split decision of branch and bound.
///
/// Neuron `neuron` of the ReLU layer at index `layer` (an index into `Network.layers`) is constrained active
/// (its pre-activation is `≥ 0`, the ReLU is the identity) or inactive (pre-activation `≤ 0`, output `0`).
public struct ReLUSplit: Hashable, Sendable {
    /// Index of the ReLU layer in `Network.layers`.
    public var layer: Int
    /// Flat index of the neuron in the tensor entering that layer.
    public var neuron: Int
    /// `true`: pre-activation `≥ 0`; `false`: pre-activation `≤ 0`.
    public var isActive: Bool

    /// A split of `neuron` in ReLU layer `layer`.
    public init(layer: Int, neuron: Int, isActive: Bool) {
        self.layer = layer
        self.neuron = neuron
        self.isActive = isActive
    }

    /// The split of `id` in the given phase.
    public init(_ id: NeuronID, isActive: Bool) {
        self.init(layer: id.layer, neuron: id.neuron, isActive: isActive)
    }

    /// The neuron split.
    public var id: NeuronID { NeuronID(layer: layer, neuron: neuron) }
}

/// `{"layer": l, "neuron": n, "active": true|false}`.
extension ReLUSplit: Codable {
    enum CodingKeys: String, CodingKey { case layer, neuron, active }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            layer: try c.decode(Int.self, forKey: .layer), neuron: try c.decode(Int.self, forKey: .neuron),
            isActive: try c.decode(Bool.self, forKey: .active))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layer, forKey: .layer)
        try c.encode(neuron, forKey: .neuron)
        try c.encode(isActive, forKey: .active)
    }
}
