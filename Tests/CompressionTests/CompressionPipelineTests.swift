import NetworkCompression
import Network
import Testing

@Suite struct CompressionPipelineTests {
    static func row() throws -> Network {
        try Network(inputShape: [1, 4], layers: [TestNetworks.dense([[1, -2, 3, -4]], [0.5])])
    }

    static let pruneHalf = CompressionStep.prune(MagnitudePruning(.fraction(0.5, .global)))
    static let shareTwo = CompressionStep.share(WeightSharing(clusters: 2))

    /// Prune then share keeps {3, −4}; share first makes {2, −3, 2, −3} (k-means from −4 and 3), then pruning
    /// removes the two 2s.
    @Test func stepsComposeInTheGivenOrder() throws {
        let net = try Self.row()
        let pruneFirst = try CompressionPipeline([Self.pruneHalf, Self.shareTwo]).apply(to: net).network
        #expect(TestNetworks.weights(pruneFirst, 0).storage == [0, 0, 3, -4])
        let shareFirst = try CompressionPipeline([Self.shareTwo, Self.pruneHalf]).apply(to: net).network
        #expect(TestNetworks.weights(shareFirst, 0).storage == [0, -3, 0, -3])
        #expect(shareFirst == (try Self.pruneHalf.apply(to: Self.shareTwo.apply(to: net))))
    }

    /// `[1, −2, 3, −4]`, bias 0.5 → prune half → `[0, 0, 3, −4]` → 2 bits (`s = 4`) → `[0, 0, 4, −4]`.
    /// Bytes: ⌈4·2/8⌉ + 4·(1 bias + 1 scale) = 9, from 4·5 = 20. Compressibility `1 − 8/(2·√32) = 1 − 1/√2`;
    /// the top weight (10% of 4, at least one) holds 16/32 of the energy.
    @Test func reportOfAHandComputedCase() throws {
        let steps: [CompressionStep] = [Self.pruneHalf, .quantize(Quantization(.uniform(bits: 2)))]
        let (net, report) = try CompressionPipeline(steps).apply(to: Self.row())
        #expect(TestNetworks.weights(net, 0).storage == [0, 0, 4, -4])
        let layer = try #require(report.compressed.layers.first)
        #expect(layer.parameters == 5 && layer.weights == 4 && layer.nonzeroWeights == 2)
        #expect(layer.distinctValues == 3 && layer.bitsPerWeight == 2 && layer.bytes == 9)
        #expect(abs(layer.l1l2Compressibility - (1 - 0.5.squareRoot())) < 1e-12)
        #expect(layer.topEnergyFraction == 0.5)
        let original = try #require(report.original.layers.first)
        #expect(original.bitsPerWeight == 32 && original.bytes == 20 && original.distinctValues == 4)
        #expect(report.compressionRatio == 20.0 / 9)
        #expect(report.steps == ["prune 0.5 of the weights (global)", "quantize uniform 2 bits, per tensor"])
    }

    /// Sharing stores `⌈log₂(K + 1)⌉` bits when zeros remain, and K float32 values.
    @Test func sharingEncodingCountsTheCodebook() throws {
        let (_, report) = try CompressionPipeline([Self.pruneHalf, Self.shareTwo]).apply(to: Self.row())
        let layer = try #require(report.compressed.layers.first)
        #expect(layer.bitsPerWeight == 2 && layer.bytes == 1 + 4 * (1 + 2))
    }

    /// Without a known scheme, statistics infer a codebook of the distinct values when it is smaller.
    @Test func inferredEncodingOfALoadedNetwork() throws {
        let net = try Network(inputShape: [1, 8], layers: [TestNetworks.dense([[1, 1, 1, 1, 2, 2, 0, 0]], [0])])
        let stats = NetworkStatistics(network: net)
        #expect(stats.layers[0].bitsPerWeight == 2 && stats.layers[0].bytes == 2 + 4 * (1 + 3))
        #expect(stats.nonzeroWeights == 6 && stats.weights == 8 && stats.parameters == 9)
    }

    @Test func everyStepIsValidatedBeforeAnyRuns() throws {
        let steps: [CompressionStep] = [Self.pruneHalf, .quantize(Quantization(.uniform(bits: 12)))]
        #expect(throws: CompressionError.invalidBits(12)) { try CompressionPipeline(steps).apply(to: Self.row()) }
        #expect(throws: CompressionError.invalidFraction(1, what: "structured pruning fraction", range: "[0, 1)")) {
            try CompressionPipeline([.structuredPrune(StructuredPruning(fraction: 1))]).apply(to: Self.row())
        }
    }
}
