import Network
import Tensor
import Testing

/// ``Pool2D/averagingConvolution(entryLimit:)``: exactly the pool where every divisor is the window's size.
@Suite struct AveragingConvolutionTests {
    static func pool(kernel: Int, stride: Int, pads: Int, countIncludePad: Bool) -> Pool2D {
        Pool2D(channels: 3, inputHeight: 5, inputWidth: 5, kernelHeight: kernel, kernelWidth: kernel,
               strideHeight: stride, strideWidth: stride, pads: [pads, pads, pads, pads],
               countIncludePad: countIncludePad)
    }

    /// Unpadded windows (2×2 stride 2, overlapping 3×3 stride 1, the global 5×5) and padded windows counting the
    /// padding: the convolution's outputs equal the pool's on random inputs (to rounding).
    @Test func theConvolutionComputesThePool() throws {
        var rng = SplitMix64(seed: 5)
        for p in [Self.pool(kernel: 2, stride: 2, pads: 0, countIncludePad: false),
                  Self.pool(kernel: 3, stride: 1, pads: 0, countIncludePad: false),
                  Self.pool(kernel: 5, stride: 1, pads: 0, countIncludePad: false),
                  Self.pool(kernel: 3, stride: 2, pads: 1, countIncludePad: true)] {
            let c = try #require(p.averagingConvolution())
            #expect(c.groups == 3 && c.outputCount == p.outputCount)
            let pooled = try Network(inputShape: [1, 3, 5, 5], layers: [.averagePool(p)])
            let convolved = try Network(inputShape: [1, 3, 5, 5], layers: [.conv2d(c)])
            #expect(pooled.averagePoolsAsConvolutions() == convolved)
            for _ in 0..<20 {
                let x = (0..<75).map { _ in Double.random(in: -2...2, using: &rng) }
                for (a, b) in zip(pooled.evaluate(x), convolved.evaluate(x)) { #expect(abs(a - b) <= 1e-14 * (1 + abs(a))) }
            }
        }
    }

    /// Padding that does not count makes the border divisors smaller: no convolution; nor over the entry limit.
    @Test func otherDivisorsHaveNoConvolution() throws {
        let padded = Self.pool(kernel: 3, stride: 2, pads: 1, countIncludePad: false)
        #expect(padded.averagingConvolution() == nil)
        let network = try Network(inputShape: [1, 3, 5, 5], layers: [.averagePool(padded)])
        #expect(network.averagePoolsAsConvolutions() == network)
        #expect(Self.pool(kernel: 2, stride: 2, pads: 0, countIncludePad: false).averagingConvolution(entryLimit: 35) == nil)
    }
}
