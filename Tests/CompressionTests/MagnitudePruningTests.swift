import NetworkCompression
import Network
import Testing

@Suite struct MagnitudePruningTests {
    /// One dense layer `1 × 4` with weights `[1, −2, 3, −4]`.
    static func row() throws -> Network {
        try Network(inputShape: [1, 4], layers: [TestNetworks.dense([[1, -2, 3, -4]], [0.5])])
    }

    @Test func halfOfFourWeightsZeroesTheTwoSmallest() throws {
        let pruned = try MagnitudePruning(.fraction(0.5, .global)).apply(to: Self.row())
        #expect(TestNetworks.weights(pruned, 0).storage == [0, 0, 3, -4])
        guard case let .dense(d) = pruned.layers[0] else { return }
        #expect(d.bias == [0.5])  // biases are never pruned
    }

    @Test func thresholdZeroesMagnitudesStrictlyBelow() throws {
        let pruned = try MagnitudePruning(.threshold(3)).apply(to: Self.row())
        #expect(TestNetworks.weights(pruned, 0).storage == [0, 0, 3, -4])
    }

    @Test func tiesAreBrokenByPosition() throws {
        let net = try Network(inputShape: [1, 4], layers: [TestNetworks.dense([[2, -2, 2, 5]], [0])])
        let pruned = try MagnitudePruning(.fraction(0.5, .global)).apply(to: net)
        #expect(TestNetworks.weights(pruned, 0).storage == [0, 0, 2, 5])
    }

    /// Global ranking removes the small layer's weights first; per layer, each loses half.
    @Test func globalAndPerLayerScopesDiffer() throws {
        let net = try Network(
            inputShape: [1, 2],
            layers: [TestNetworks.dense([[0.1, 0.2], [0.3, 0.4]], [0, 0]), .relu,
                     TestNetworks.dense([[5, 6], [7, 8]], [0, 0])])
        let global = try MagnitudePruning(.fraction(0.5, .global)).apply(to: net)
        #expect(TestNetworks.weights(global, 0).storage == [0, 0, 0, 0])
        #expect(TestNetworks.weights(global, 2).storage == [5, 6, 7, 8])
        let perLayer = try MagnitudePruning(.fraction(0.5, .perLayer)).apply(to: net)
        #expect(TestNetworks.weights(perLayer, 0).storage == [0, 0, 0.3, 0.4])
        #expect(TestNetworks.weights(perLayer, 2).storage == [0, 0, 7, 8])
    }

    @Test func fractionOfASeededNetworkIsExact() throws {
        let net = try TestNetworks.mlp([6, 10, 10, 3], seed: 5)
        let pruned = try MagnitudePruning(.fraction(0.7, .global)).apply(to: net)
        let weights = pruned.weightTensors.flatMap(\.values)
        #expect(weights.filter { $0 == 0 }.count == Int(0.7 * Double(weights.count)))
    }

    @Test(arguments: [-0.1, 1.0, .nan]) func badFractionsAreRefused(fraction: Double) throws {
        #expect(throws: CompressionError.self) { try MagnitudePruning(.fraction(fraction, .global)).apply(to: Self.row()) }
    }

    @Test func negativeThresholdIsRefused() {
        #expect(throws: CompressionError.invalidThreshold(-1)) { try MagnitudePruning(.threshold(-1)).validate() }
    }
}
