import Network
import Tensor

extension StructuredPruning {
    /// Keeps the filters `kept` of the convolution `c` at `i`, the same channels of the pools up to `consumer`,
    /// and the matching inputs of `consumer` (a convolution, or a dense layer reading the flattened channels).
    static func removeFilters(_ layers: inout [Layer], convolution i: Int, consumer: Int, kept: [Int], from c: Conv2D) {
        let pruned = c.replacingChannels(
            output: kept.count, weights: selectingBlocks(c.weights, blockLength: c.weights.count / c.outputChannels, kept),
            bias: kept.map { c.bias[$0] })
        layers[i] = .conv2d(pruned)
        var plane = c.outputHeight * c.outputWidth
        for j in (i + 1)..<consumer {
            switch layers[j] {
            case var .maxPool(p):
                p.channels = kept.count
                plane = p.outputHeight * p.outputWidth
                layers[j] = .maxPool(p)
            case var .averagePool(p):
                p.channels = kept.count
                plane = p.outputHeight * p.outputWidth
                layers[j] = .averagePool(p)
            case let .reshape(target):
                layers[j] = .reshape(target.dropLast() + [kept.count * plane])
            default: break
            }
        }
        switch layers[consumer] {
        case let .conv2d(next):
            let block = next.kernelHeight * next.kernelWidth
            let filters = (0..<next.outputChannels).map { o in
                selectingBlocks(Array(next.weights[(o * next.inputChannels * block)..<((o + 1) * next.inputChannels * block)]),
                                blockLength: block, kept)
            }
            layers[consumer] = .conv2d(
                next.replacingChannels(input: kept.count, weights: filters.flatMap { $0 }, bias: next.bias))
        case let .dense(d):
            let columns = kept.flatMap { k in (k * plane)..<((k + 1) * plane) }
            layers[consumer] = .dense(Dense(weights: selectingColumns(d.weights, columns), bias: d.bias))
        default: break
        }
    }

    /// The blocks `kept` (each `blockLength` long) of `values`, in that order.
    static func selectingBlocks(_ values: [Double], blockLength: Int, _ kept: [Int]) -> [Double] {
        kept.flatMap { values[($0 * blockLength)..<(($0 + 1) * blockLength)] }
    }
}

extension Layer {
    /// Activations and pooling: layers that keep each channel's values to that channel.
    var passesChannelsThrough: Bool {
        switch self {
        case .relu, .sigmoid, .tanh, .maxPool, .averagePool: true
        case .dense, .conv2d, .convTranspose, .elementwise, .reshape, .softmax: false
        }
    }
}
