import Foundation
import NetworkCompression
import Network
import ONNX
import Tensor
import Testing

/// Convolutions are compressed per output channel (filter) too.
@Suite struct ConvolutionCompressionTests {
    /// Two 1×2×2 filters, maxima 4 and 0.5, over a 1×3×3 input.
    static func conv() throws -> Network {
        let c = Conv2D(inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 2, kernelHeight: 2,
                       kernelWidth: 2, weights: [4, 1, -3, 2, 0.5, -0.3, 0.1, 0.2], bias: [1, -1])
        return try Network(inputShape: [1, 1, 3, 3], layers: [.conv2d(c), .relu])
    }

    static func filters(_ network: Network) -> [Double] { network.weightTensors[0].values }

    @Test func perChannelQuantisationScalesEachFilter() throws {
        let q = try Quantization(.uniform(bits: 2), granularity: .perChannel).apply(to: Self.conv())
        #expect(Self.filters(q) == [4, 0, -4, 4, 0.5, -0.5, 0, 0])
        let perTensor = try Quantization(.uniform(bits: 2)).apply(to: Self.conv())
        #expect(Self.filters(perTensor) == [4, 0, -4, 4, 0, 0, 0, 0])  // 2/4 rounds away from zero
    }

    /// A depthwise convolution (2 channels, one 2×2 filter each, `groups` 2) over a 2×3×3 input; the weights are
    /// Float32 values, so that export writes them exactly.
    static func depthwise() throws -> Network {
        let compact: [Double] = [4, 1, -3, 2, 0.5, -0.25, 0.125, 0.25]
        let c = Conv2D(
            inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 2, kernelHeight: 2, kernelWidth: 2,
            groups: 2,
            weights: Conv2D.expandingGroups(compact, outputChannels: 2, inputChannels: 2, taps: 4, groups: 2),
            bias: [1, -1])
        return try Network(inputShape: [1, 2, 3, 3], layers: [.conv2d(c), .relu])
    }

    /// A grouped convolution's weights are its own group's filters: the zeros outside the group are neither
    /// counted nor pruned, quantised or shared, and stay zero.
    @Test func groupedFiltersAreCompressedWithoutTheZerosOutsideTheirGroup() throws {
        let network = try Self.depthwise()
        #expect(Self.filters(network) == [4, 1, -3, 2, 0.5, -0.25, 0.125, 0.25])
        #expect(network.layers[0].parameterCount == 10)
        let pruned = try MagnitudePruning(.fraction(0.5, .global)).apply(to: network)
        #expect(Self.filters(pruned) == [4, 1, -3, 2, 0, 0, 0, 0])
        let q = try Quantization(.uniform(bits: 2), granularity: .perChannel).apply(to: network)
        #expect(Self.filters(q) == [4, 0, -4, 4, 0.5, -0.5, 0, 0.5])
        guard case let .conv2d(c) = q.layers[0] else { Issue.record("not a convolution"); return }
        #expect(c.groups == 2 && c.weights == [4, 0, -4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, -0.5, 0, 0.5])
        let structured = try StructuredPruning(fraction: 0.5).apply(to: network)
        #expect(structured.layers == network.layers)
    }

    /// Export writes the group form (filters `[O, C/groups, kh, kw]`, the `group` attribute), which reads back as
    /// the same network; the graph interpreter, which computes a grouped convolution group by group (and agrees
    /// with onnxruntime on ONNXTests' `ops_grouped_conv.onnx`), gives the network's outputs.
    @Test func groupedConvolutionsExportInGroupForm() throws {
        let compressed = try MagnitudePruning(.fraction(0.25, .global)).apply(to: Self.depthwise())
        try Self.expectExportRoundTrip(compressed, seed: 11)
    }

    /// `network` exported reads back as the same layers, and the graph interpreter's replay of the exported graph
    /// gives its Float32 outputs on seeded inputs in `[−1, 1]`.
    static func expectExportRoundTrip(_ network: Network, seed: UInt64) throws {
        let data = try ONNXExporter.data(for: network)
        let reread = try ONNXImporter.network(from: data, fileName: "exported.onnx")
        #expect(reread.layers == network.layers)
        let replay = try GraphInterpreter(data: data, fileName: "exported.onnx")
        var rng = SplitMix64(seed: seed)
        for _ in 0..<20 {
            let x = (0..<network.inputCount).map { _ in Float.random(in: -1...1, using: &rng) }
            let y = network.evaluate(x), z = try #require(replay.evaluate(x))
            try #require(y.count == network.outputCount && z.count == network.outputCount)
            for i in y.indices { #expect(abs(y[i] - z[i]) <= 1e-6 * (1 + abs(y[i]))) }
        }
    }

    /// A transposed convolution (2 → 4 channels, groups 2, stride 2, pads, output padding 1 in height) on a
    /// 2×3×3 input, then a ReLU; Float32 weights.
    static func transposed() throws -> Network {
        let weights = (0..<24).map { Double(Float(Double($0 % 7) / 4 - 0.75)) }
        let t = ConvTranspose2D(
            inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 4, outputHeight: 7, outputWidth: 5,
            kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 2, pads: [1, 0, 0, 1], groups: 2,
            weights: weights, bias: [0.5, -0.25, 0, 1])
        return try Network(inputShape: [1, 2, 3, 3], layers: [.convTranspose(t), .relu])
    }

    /// A transposed convolution's weights are ONNX's (`[C, M / groups, kh, kw]`, one channel per input channel);
    /// export writes `ConvTranspose` with the `output_padding` and `group` that give the same layer back, and the
    /// graph interpreter (which agrees with onnxruntime on ONNXTests' `ops_conv_transpose.onnx`) gives the
    /// network's outputs.
    @Test func transposedConvolutionsCompressAndExport() throws {
        let network = try Self.transposed()
        #expect(network.weightTensors[0].channels == 2 && network.weightTensors[0].values.count == 24)
        let compressed = try CompressionPipeline([
            .prune(MagnitudePruning(.fraction(0.5, .global))), .quantize(Quantization(.uniform(bits: 4))),
        ]).apply(to: network).network
        #expect(compressed.weightTensors[0].values.filter { $0 == 0 }.count >= 12)
        #expect(compressed.outputCount == 140)
        try Self.expectExportRoundTrip(compressed, seed: 12)
    }

    @Test func pruningAndSharingReachFilters() throws {
        let pruned = try MagnitudePruning(.fraction(0.5, .global)).apply(to: Self.conv())
        #expect(Self.filters(pruned) == [4, 1, -3, 2, 0, 0, 0, 0])
        let shared = try WeightSharing(clusters: 2).apply(to: Self.conv())
        #expect(Set(Self.filters(shared)).count <= 2)
    }
}
