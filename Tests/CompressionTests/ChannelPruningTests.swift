import NetworkCompression
import Network
import Tensor
import Testing

/// Structured pruning of convolution filters.
@Suite struct ChannelPruningTests {
    /// What follows the first convolution and its ReLU.
    enum Consumer: CaseIterable { case convolution, poolAndFlatten, dense }

    /// conv(1→4, 3×3 on 6×6) → ReLU → [conv(4→3, 2×2) → ReLU → flatten | max pool 2×2 → flatten | ] → dense(→ 2),
    /// seeded.
    static func network(_ consumer: Consumer, seed: UInt64) throws -> Network {
        var rng = SplitMix64(seed: seed)
        func gaussians(_ n: Int) -> [Double] { (0..<n).map { _ in rng.nextGaussian() } }
        let first = Conv2D(inputChannels: 1, inputHeight: 6, inputWidth: 6, outputChannels: 4, kernelHeight: 3,
                           kernelWidth: 3, weights: gaussians(36), bias: gaussians(4))
        var layers: [Layer] = [.conv2d(first), .relu]
        let flat: Int
        switch consumer {
        case .convolution:
            layers += [.conv2d(Conv2D(inputChannels: 4, inputHeight: 4, inputWidth: 4, outputChannels: 3, kernelHeight: 2,
                                      kernelWidth: 2, weights: gaussians(48), bias: gaussians(3))), .relu, .reshape([1, 27])]
            flat = 27
        case .poolAndFlatten:
            layers += [.maxPool(Pool2D(channels: 4, inputHeight: 4, inputWidth: 4, kernelHeight: 2, kernelWidth: 2,
                                       strideHeight: 2, strideWidth: 2)), .reshape([1, 16])]
            flat = 16
        case .dense:
            flat = 64
        }
        layers.append(.dense(Dense(weights: Matrix(rows: 2, columns: flat, storage: gaussians(2 * flat)), bias: gaussians(2))))
        return try Network(inputShape: [1, 1, 6, 6], layers: layers)
    }

    /// The original with every filter missing from `pruned` (identified by its bias; the seeded biases are
    /// distinct) set to zero, weights and bias: after the ReLU it outputs 0, as if removed.
    static func zeroingRemovedFilters(_ net: Network, _ pruned: Network) throws -> Network {
        var layers = net.layers
        for i in layers.indices {
            guard case var .conv2d(c) = layers[i], case let .conv2d(kept) = pruned.layers[i] else { continue }
            let size = c.weights.count / c.outputChannels
            for o in 0..<c.outputChannels where !kept.bias.contains(c.bias[o]) {
                c.bias[o] = 0
                for k in 0..<size { c.weights[o * size + k] = 0 }
            }
            layers[i] = .conv2d(c)
        }
        return try Network(inputShape: net.inputShape, layers: layers)
    }

    @Test(arguments: Consumer.allCases) func filtersGoAndTheFunctionOfTheRestIsExact(consumer: Consumer) throws {
        let net = try Self.network(consumer, seed: 8)
        let pruned = try StructuredPruning(fraction: 0.5).apply(to: net)
        guard case let .conv2d(c) = pruned.layers[0] else { Issue.record("layer 0 is not a convolution"); return }
        #expect(c.outputChannels == 2 && pruned.layerShapes[1] == [1, 2, 4, 4])
        #expect(pruned.parameterCount < net.parameterCount)
        let reference = try Self.zeroingRemovedFilters(net, pruned)
        for x in TestNetworks.inputs(count: 10, dimension: 36, seed: 4) {
            let (a, b): ([Double], [Double]) = (pruned.evaluate(x), reference.evaluate(x))
            for i in b.indices { #expect(Swift.abs(a[i] - b[i]) <= 1e-12 * (1 + Swift.abs(b[i]))) }
        }
    }
}
