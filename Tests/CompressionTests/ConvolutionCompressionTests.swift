import NetworkCompression
import Network
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

    @Test func pruningAndSharingReachFilters() throws {
        let pruned = try MagnitudePruning(.fraction(0.5, .global)).apply(to: Self.conv())
        #expect(Self.filters(pruned) == [4, 1, -3, 2, 0, 0, 0, 0])
        let shared = try WeightSharing(clusters: 2).apply(to: Self.conv())
        #expect(Set(Self.filters(shared)).count <= 2)
    }
}
