import Network

/// The weights of one dense or convolutional layer, viewed as `channels` rows of equal length.
///
/// A dense layer's channel is an output neuron (a row of `W`); a convolution's is an output channel (one
/// filter, `C·kh·kw` values; `C / groups · kh·kw` for a grouped convolution, whose zeros outside the group are not
/// weights: ``Conv2D/groupWeights``); a transposed convolution's is an input channel (ONNX's first weight axis,
/// `M / groups · kh·kw` values). Biases are not part of the tensor: every transform keeps them in full
/// precision.
public struct WeightTensor: Sendable, Hashable {
    /// The index of the layer in its network.
    public var layer: Int
    /// Row-major values, `channels × channelLength`.
    public var values: [Double]
    /// Number of output channels (rows).
    public var channels: Int

    /// Values per channel.
    public var channelLength: Int { channels == 0 ? 0 : values.count / channels }

    /// The range of `values` holding channel `c`.
    public func channelRange(_ c: Int) -> Range<Int> { (c * channelLength)..<((c + 1) * channelLength) }
}

extension Layer {
    /// The layer's weights as a ``WeightTensor`` (nil for layers without weights; elementwise layers hold
    /// normalisation constants, not weights, and are never compressed).
    func weightTensor(index: Int) -> WeightTensor? {
        switch self {
        case let .dense(d): WeightTensor(layer: index, values: d.weights.storage, channels: d.weights.rows)
        case let .conv2d(c): WeightTensor(layer: index, values: c.groupWeights, channels: c.outputChannels)
        case let .convTranspose(t): WeightTensor(layer: index, values: t.groupWeights, channels: t.inputChannels)
        default: nil
        }
    }

    /// The same layer with its weights replaced by `values` (same count and order).
    func replacingWeights(_ values: [Double]) -> Layer {
        switch self {
        case var .dense(d):
            d.weights.storage = values
            return .dense(d)
        case let .conv2d(c):
            return .conv2d(c.replacingGroupWeights(values))
        case let .convTranspose(t):
            return .convTranspose(t.replacingGroupWeights(values))
        default: return self
        }
    }
}

extension Network {
    /// The weight tensors of every dense and convolutional layer, in layer order.
    public var weightTensors: [WeightTensor] {
        layers.indices.compactMap { layers[$0].weightTensor(index: $0) }
    }

    /// The network with each weight tensor replaced by `transform(tensor)` (same length); other layers unchanged.
    func mappingWeights(
        step: String, _ transform: (WeightTensor) throws(CompressionError) -> [Double]
    ) throws(CompressionError) -> Network {
        var newLayers = layers
        for tensor in weightTensors {
            newLayers[tensor.layer] = layers[tensor.layer].replacingWeights(try transform(tensor))
        }
        return try replacingLayers(newLayers, step: step)
    }

    /// A network with the same input, names and clipping over `newLayers`.
    func replacingLayers(_ newLayers: [Layer], step: String) throws(CompressionError) -> Network {
        do {
            return try Network(inputShape: inputShape, layers: newLayers, inputName: inputName,
                               outputName: outputName, inputClamp: inputClamp)
        } catch {
            throw .invalidResult(step: step, reason: "\(error)")
        }
    }
}

/// Rounds to the nearest Float32 value, so that a compressed network holds exactly what ONNX export writes.
@inline(__always)
func float32Rounded(_ x: Double) -> Double { Double(Float(x)) }
