import NetworkCompression
import Foundation
import Network
import ONNX
import Testing

/// The networks `nncert compress` wrote from ACAS Xu 1_1 (and from two convolutional fixtures: grouped, depthwise,
/// strided and padded convolutions; transposed ones), re-created here with the library, agree with
/// onnxruntime's outputs (`Fixtures/onnxruntime_outputs.json`, written by `generate_onnxruntime_outputs.py`;
/// Python never runs in the tests): the Float32 evaluation of the compressed `Network` and `GraphInterpreter`'s
/// replay of the exported graph are within `1e-5·(1 + |y|)` of onnxruntime, and the exported bytes are those the
/// command wrote (same size and FNV-1a hash).
@Suite struct OnnxRuntimeAgreementTests {
    static let tolerance = 1e-5
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Case: Decodable {
        var name: String
        /// The case's own network, when not the fixture's.
        var network: String?
        var options: [String]
        var bytes: Int
        var fnv1a64: String
        var inputs: [[Float]]
        var outputs: [[Double]]
    }

    struct Fixture: Decodable {
        var network: String
        var cases: [Case]
    }

    /// The steps `nncert compress` runs for each fixture's options (in its fixed order).
    static let steps: [String: [CompressionStep]] = [
        "prune10-quantize8": [.prune(MagnitudePruning(.fraction(0.1, .global))), .quantize(Quantization(.uniform(bits: 8)))],
        "prune50-per-layer-quantize8": [
            .prune(MagnitudePruning(.fraction(0.5, .perLayer))), .quantize(Quantization(.uniform(bits: 8))),
        ],
        "quantize4-per-channel": [.quantize(Quantization(.uniform(bits: 4), granularity: .perChannel))],
        "quantize2-per-channel": [.quantize(Quantization(.uniform(bits: 2), granularity: .perChannel))],
        "ternary-per-channel": [.quantize(Quantization(.ternary, granularity: .perChannel))],
        "threshold-power-of-two5": [.prune(MagnitudePruning(.threshold(0.05))), .quantize(Quantization(.powerOfTwo(bits: 5)))],
        "structured30-share16": [
            .structuredPrune(StructuredPruning(fraction: 0.3)), .share(WeightSharing(clusters: 16)),
        ],
        "hashed256": [.share(WeightSharing(clusters: 256, method: .hashed(seed: 7)))],
        "low-rank8-prune30-per-layer-quantize8-per-channel": [
            .lowRank(LowRankFactorization(.rank(8))), .prune(MagnitudePruning(.fraction(0.3, .perLayer))),
            .quantize(Quantization(.uniform(bits: 8), granularity: .perChannel)),
        ],
        "quantize4": [.quantize(Quantization(.uniform(bits: 4)))],
        "quantize2": [.quantize(Quantization(.uniform(bits: 2)))],
        "ternary": [.quantize(Quantization(.ternary))],
        "low-rank-energy90": [.lowRank(LowRankFactorization(.energy(0.9)))],
        "grouped-conv-prune50-quantize4": [
            .prune(MagnitudePruning(.fraction(0.5, .perLayer))), .quantize(Quantization(.uniform(bits: 4))),
        ],
        "conv-transpose-prune30-quantize8-per-channel": [
            .prune(MagnitudePruning(.fraction(0.3, .perLayer))),
            .quantize(Quantization(.uniform(bits: 8), granularity: .perChannel)),
        ],
    ]

    static func fixture() throws -> Fixture {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/onnxruntime_outputs", withExtension: "json"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func fnv1a64(_ data: Data) -> String {
        let hash = data.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test func everyFixtureCaseHasSteps() throws {
        let names = try Self.fixture().cases.map(\.name)
        #expect(names.count >= 8)
        #expect(Set(names) == Set(Self.steps.keys))
    }

    @Test func compressedNetworksAgreeWithOnnxRuntime() throws {
        let fixture = try Self.fixture()
        var worstNetwork = 0.0, worstReplay = 0.0
        for c in fixture.cases {
            let path = Self.repositoryRoot.appendingPathComponent(c.network ?? fixture.network).path
            let original = try NetworkLoader.load(path: path)
            let steps = try #require(Self.steps[c.name], "\(c.name)")
            let compressed = try CompressionPipeline(steps).apply(to: original).network
            let data = try ONNXExporter.data(for: compressed)
            #expect(data.count == c.bytes && Self.fnv1a64(data) == c.fnv1a64, "\(c.name): not the file nncert wrote")
            let replay = try GraphInterpreter(data: data, fileName: c.name)
            for (x, expected) in zip(c.inputs, c.outputs) {
                let y = compressed.evaluate(x).map(Double.init)
                let z = try #require(replay.evaluate(x)).map(Double.init)
                for i in expected.indices {
                    worstNetwork = max(worstNetwork, abs(y[i] - expected[i]) / (1 + abs(expected[i])))
                    worstReplay = max(worstReplay, abs(z[i] - expected[i]) / (1 + abs(expected[i])))
                }
            }
        }
        print("onnxruntime agreement over \(fixture.cases.count) compressed networks: Network Float32 \(worstNetwork), GraphInterpreter \(worstReplay) (relative)")
        #expect(worstNetwork <= Self.tolerance)
        #expect(worstReplay <= Self.tolerance)
    }
}
