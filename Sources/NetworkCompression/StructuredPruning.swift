import Network
import Tensor

/// Structured pruning: whole hidden neurons and convolution filters are removed, so the layers really shrink.
///
/// A dense layer is *prunable* when it is followed, through elementwise activations only (ReLU, sigmoid, tanh),
/// by another dense layer. In each prunable layer, the `⌊f·n⌋` neurons (at most `n − 1`) whose incoming weights
/// have the smallest ℓ2 norm (ties: first neurons first) are removed: their row of `W` and their bias entry,
/// and the matching column of the next dense layer's weights; the activations in between simply become
/// narrower. A convolution is prunable when it is followed, through activations and pooling only, by another
/// convolution or by a dense layer (possibly behind a flattening reshape): its weakest filters (by the ℓ2 norm of the filter)
/// go with their bias, the pools' matching channels, and the consumer's matching input channels (or the dense
/// columns of those channels' planes). The result computes exactly what the original computes with the removed
/// units' outgoing weights set to zero. The output layer, and layers followed by anything else, are kept.
public struct StructuredPruning: Sendable, Hashable {
    /// The fraction of each prunable layer's neurons to remove, in `[0, 1)`.
    public var fraction: Double

    /// Removes `fraction` of the neurons of every prunable dense layer.
    public init(fraction: Double) { self.fraction = fraction }

    /// Checks the fraction.
    public func validate() throws(CompressionError) {
        guard fraction >= 0, fraction < 1 else {
            throw .invalidFraction(fraction, what: "structured pruning fraction", range: "[0, 1)")
        }
    }

    /// The network with the weakest neurons (and filters) of each prunable layer removed.
    public func apply(to network: Network) throws(CompressionError) -> Network {
        try validate()
        var layers = network.layers
        for (i, next) in Self.prunablePairs(layers) {
            guard let tensor = layers[i].weightTensor(index: i) else { continue }
            let kept = keptChannels(tensor)
            guard kept.count < tensor.channels else { continue }
            switch layers[i] {
            case let .dense(d):
                layers[i] = .dense(Dense(weights: d.weights.selectingRows(kept), bias: kept.map { d.bias[$0] }))
                if case let .dense(following) = layers[next] {
                    layers[next] = .dense(Dense(weights: Self.selectingColumns(following.weights, kept), bias: following.bias))
                }
            case let .conv2d(c):
                Self.removeFilters(&layers, convolution: i, consumer: next, kept: kept, from: c)
            default: continue
            }
        }
        return try network.replacingLayers(layers, step: "structured pruning")
    }

    /// Pairs `(i, j)`: a dense layer and the next dense layer with only elementwise activations between them, or a
    /// convolution and the next convolution or dense layer (directly or behind a flattening reshape) with only
    /// activations and pooling between them. Grouped convolutions take part in no pair: removing one of their
    /// channels would unbalance the groups.
    static func prunablePairs(_ layers: [Layer]) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        for i in layers.indices {
            var j = i + 1
            switch layers[i] {
            case .dense:
                while j < layers.count, [Layer.relu, .sigmoid, .tanh].contains(layers[j]) { j += 1 }
                if j < layers.count, case .dense = layers[j] { pairs.append((i, j)) }
            case let .conv2d(c) where c.groups == 1:
                while j < layers.count, layers[j].passesChannelsThrough { j += 1 }
                guard j < layers.count else { continue }
                if case let .conv2d(next) = layers[j], next.groups == 1 { pairs.append((i, j)) }
                if case .dense = layers[j] { pairs.append((i, j)) }
                if case let .reshape(target) = layers[j], target.dropLast().allSatisfy({ $0 == 1 }),
                   j + 1 < layers.count, case .dense = layers[j + 1] { pairs.append((i, j + 1)) }
            default: continue
            }
        }
        return pairs
    }

    /// The channels (dense rows, convolution filters) kept, in their original order: all but the `⌊f·n⌋` (at most
    /// `n − 1`) of smallest ℓ2 norm, ties to the first.
    func keptChannels(_ tensor: WeightTensor) -> [Int] {
        let n = tensor.channels
        let removed = min(n - 1, Int((fraction * Double(n)).rounded(.down)))
        let norms = (0..<n).map { Vector.norm(Array(tensor.values[tensor.channelRange($0)])) }
        let weakest = Set((0..<n).sorted { (norms[$0], $0) < (norms[$1], $1) }.prefix(removed))
        return (0..<n).filter { !weakest.contains($0) }
    }

    /// The columns `kept` of `m`, in that order.
    static func selectingColumns(_ m: Matrix, _ kept: [Int]) -> Matrix {
        var out = Matrix(rows: m.rows, columns: kept.count)
        for r in 0..<m.rows {
            for (k, c) in kept.enumerated() { out[r, k] = m[r, c] }
        }
        return out
    }
}
