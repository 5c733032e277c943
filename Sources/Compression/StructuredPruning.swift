import Network
import Tensor

/// Structured pruning of dense hidden neurons: whole neurons are removed, so the layers really shrink.
///
/// A dense layer is *prunable* when it is followed, through elementwise activations only (ReLU, sigmoid, tanh),
/// by another dense layer. In each prunable layer, the `⌊f·n⌋` neurons (at most `n − 1`) whose incoming weights
/// have the smallest ℓ2 norm (ties: first neurons first) are removed: their row of `W` and their bias entry,
/// and the matching column of the next dense layer's weights; the activations in between simply become
/// narrower. The result computes exactly what the original computes with the removed neurons' outgoing weights
/// set to zero. The output layer, and layers followed by anything else (a reshape, a convolution), are kept.
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

    /// The network with the weakest neurons of each prunable layer removed.
    public func apply(to network: Network) throws(CompressionError) -> Network {
        try validate()
        var layers = network.layers
        for (i, next) in Self.prunablePairs(layers) {
            guard case let .dense(d) = layers[i], case let .dense(following) = layers[next] else { continue }
            let kept = keptNeurons(d)
            guard kept.count < d.outputCount else { continue }
            layers[i] = .dense(Dense(weights: d.weights.selectingRows(kept), bias: kept.map { d.bias[$0] }))
            layers[next] = .dense(Dense(weights: Self.selectingColumns(following.weights, kept), bias: following.bias))
        }
        return try network.replacingLayers(layers, step: "structured pruning")
    }

    /// Pairs `(i, j)` of dense layers with only elementwise activations between them.
    static func prunablePairs(_ layers: [Layer]) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        for i in layers.indices {
            guard case .dense = layers[i] else { continue }
            var j = i + 1
            while j < layers.count, [Layer.relu, .sigmoid, .tanh].contains(layers[j]) { j += 1 }
            if j < layers.count, case .dense = layers[j] { pairs.append((i, j)) }
        }
        return pairs
    }

    /// The neurons kept, in their original order.
    func keptNeurons(_ d: Dense) -> [Int] {
        let n = d.outputCount
        let removed = min(n - 1, Int((fraction * Double(n)).rounded(.down)))
        let norms = (0..<n).map { Vector.norm(d.weights.row($0)) }
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
