/// A ReLU neuron: neuron `neuron` of the tensor entering the ReLU layer at index `layer` of `Network.layers`.
public struct ReLUNeuron: Hashable, Sendable, Comparable {
    /// Index of the ReLU layer in `Network.layers`.
    public var layer: Int
    /// Flat index of the neuron.
    public var neuron: Int

    /// A neuron of ReLU layer `layer`.
    public init(layer: Int, neuron: Int) {
        self.layer = layer
        self.neuron = neuron
    }

    /// Orders by layer, then neuron.
    public static func < (a: ReLUNeuron, b: ReLUNeuron) -> Bool { (a.layer, a.neuron) < (b.layer, b.neuron) }
}
