/// One neuron of the network: `neuron` (flat index) of the tensor entering the layer at index `layer` of
/// `Network.layers`. For a ReLU layer, the unit branch and bound splits on; the key of LP evidence and of the
/// branching heuristics' scores.
public struct NeuronID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Index of the layer in `Network.layers`.
    public var layer: Int
    /// Flat index of the neuron in the tensor entering that layer.
    public var neuron: Int

    /// The neuron `neuron` of layer `layer`.
    public init(layer: Int, neuron: Int) {
        self.layer = layer
        self.neuron = neuron
    }

    /// Layer order, then neuron order.
    public static func < (a: Self, b: Self) -> Bool { (a.layer, a.neuron) < (b.layer, b.neuron) }

    /// `layer:neuron`.
    public var description: String { "\(layer):\(neuron)" }
}
