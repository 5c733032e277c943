import NetworkCompression
import Network
import Tensor
import Testing

@Suite struct StructuredPruningTests {
    /// The original with the outgoing weights of every neuron missing from the pruned layers set to zero.
    static func zeroingRemovedNeurons(_ original: Network, kept: [Int: [Int]]) throws -> Network {
        var layers = original.layers
        for (i, keep) in kept {
            let next = try #require((i + 1..<layers.count).first { if case .dense = layers[$0] { true } else { false } })
            guard case var .dense(d) = layers[next] else { continue }
            for r in 0..<d.weights.rows {
                for c in 0..<d.weights.columns where !keep.contains(c) { d.weights[r, c] = 0 }
            }
            layers[next] = .dense(d)
        }
        return try Network(inputShape: original.inputShape, layers: layers)
    }

    /// The kept neurons of dense layer `i`, identified by their bias (the seeded biases are distinct).
    static func keptNeurons(_ original: Network, _ pruned: Network, layer i: Int) throws -> [Int] {
        guard case let .dense(a) = original.layers[i], case let .dense(b) = pruned.layers[i] else { return [] }
        return try b.bias.map { value in try #require(a.bias.firstIndex(of: value)) }
    }

    @Test func layersReallyShrinkAndTheFunctionOfKeptNeuronsIsExact() throws {
        let net = try TestNetworks.mlp([4, 10, 8, 3], seed: 11)
        let pruned = try StructuredPruning(fraction: 0.5).apply(to: net)
        #expect(pruned.layerShapes.map { $0.reduce(1, *) } == [5, 5, 4, 4, 3])
        #expect(TestNetworks.weights(pruned, 2).columns == 5 && TestNetworks.weights(pruned, 4).columns == 4)
        let kept = [0: try Self.keptNeurons(net, pruned, layer: 0), 2: try Self.keptNeurons(net, pruned, layer: 2)]
        let reference = try Self.zeroingRemovedNeurons(net, kept: kept)
        // Float32 evaluation sums in order, so the zero terms change nothing: exactly equal. (BLAS, in Float64,
        // may block the sums differently for the two widths.)
        for x in TestNetworks.inputs(count: 20, dimension: 4, seed: 3) {
            let x32 = x.map(Float.init)
            #expect(pruned.evaluate(x32) == reference.evaluate(x32))
            let (a, b): ([Double], [Double]) = (pruned.evaluate(x), reference.evaluate(x))
            for i in b.indices { #expect(Swift.abs(a[i] - b[i]) <= 1e-14) }
        }
    }

    /// Rows with ℓ2 norms 5, 1, 3: pruning a third removes neuron 1.
    @Test func removesTheNeuronsWithTheSmallestIncomingNorm() throws {
        let net = try Network(
            inputShape: [1, 2],
            layers: [TestNetworks.dense([[3, 4], [1, 0], [0, 3]], [1, 2, 3]), .relu,
                     TestNetworks.dense([[1, 2, 3]], [0])])
        let pruned = try StructuredPruning(fraction: 1.0 / 3).apply(to: net)
        #expect(pruned.layers[0] == TestNetworks.dense([[3, 4], [0, 3]], [1, 3]))
        #expect(pruned.layers[2] == TestNetworks.dense([[1, 3]], [0]))
    }

    @Test func theOutputLayerIsKept() throws {
        let net = try TestNetworks.mlp([3, 6, 4], seed: 2)
        let pruned = try StructuredPruning(fraction: 0.9).apply(to: net)
        #expect(pruned.outputCount == 4)
        #expect(TestNetworks.weights(pruned, 0).rows == 1)  // at least one neuron stays
    }
}
