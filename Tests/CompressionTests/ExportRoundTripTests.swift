import NetworkCompression
import Foundation
import Network
import ONNX
import Testing

/// Compressed networks survive ONNX export and re-import: the same weights, the same Float32 outputs.
@Suite struct ExportRoundTripTests {
    static let pipelines: [[CompressionStep]] = [
        [.prune(MagnitudePruning(.fraction(0.6, .perLayer))), .quantize(Quantization(.uniform(bits: 4)))],
        [.structuredPrune(StructuredPruning(fraction: 0.4)), .share(WeightSharing(clusters: 8))],
        [.quantize(Quantization(.ternary, granularity: .perChannel))],
        [.lowRank(LowRankFactorization(.rank(3))), .quantize(Quantization(.powerOfTwo(bits: 5)))],
    ]

    @Test(arguments: pipelines.indices) func exportThenImportEvaluatesIdentically(pipeline: Int) throws {
        let net = try TestNetworks.mlp([6, 12, 12, 4], seed: 21)
        let compressed = try CompressionPipeline(Self.pipelines[pipeline]).apply(to: net).network
        let data = try ONNXExporter.data(for: compressed)
        let imported = try ONNXImporter.network(from: data)
        #expect(imported.weightTensors.map(\.values) == compressed.weightTensors.map(\.values))
        for x in TestNetworks.inputs(count: 20, dimension: 6, seed: 9) {
            let x32 = x.map(Float.init)
            #expect(imported.evaluate(x32) == compressed.evaluate(x32))
        }
    }
}
