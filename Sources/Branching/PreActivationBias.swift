public import Network

/// The bias of every ReLU layer's pre-activations: the network's layers between the previous ReLU layer (or the
/// input) and this one applied to zero, i.e. the affine offset of that linear stage. The original BaBSR score
/// weighs it (``BaBSR/biasAwareScore(_:context:bias:)``) and the GNN reads it as a feature (``GNNGraph``).
public struct PreActivationBias: Sendable {
    /// The network's ReLU layers (indices into `Network.layers`), in order.
    public let reluLayers: [Int]
    /// `stages[s]`: the offset entering ReLU layer `reluLayers[s]`, and last the offset of the outputs (the
    /// layers after the last ReLU applied to zero). An offset whose size does not match its tensor is all zeros.
    public let stages: [[Double]]

    /// The offsets of `network`.
    public init(network: Network) {
        let relus = network.layers.indices.filter { network.layers[$0] == .relu }
        reluLayers = relus
        let ends = [-1] + relus + [network.layers.count]
        var stages: [[Double]] = []
        for s in 0..<(ends.count - 1) {
            let size = s == 0 ? network.inputCount : network.inputShape(ofLayer: ends[s]).reduce(1, *)
            let target = s + 1 < ends.count - 1
                ? network.inputShape(ofLayer: ends[s + 1]).reduce(1, *) : network.outputCount
            var offset = [Double](repeating: 0, count: size)
            for i in (ends[s] + 1)..<ends[s + 1] { offset = network.layers[i].apply(offset) }
            stages.append(offset.count == target ? offset : [Double](repeating: 0, count: target))
        }
        self.stages = stages
    }

    /// The pre-activation bias of ReLU layer `layer` (an index into `Network.layers`), or nil when it is not one.
    public func bias(ofLayer layer: Int) -> [Double]? {
        reluLayers.firstIndex(of: layer).map { stages[$0] }
    }
}
