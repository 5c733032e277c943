extension Pool2D {
    /// The average pool as a depthwise convolution (one filter per channel, every tap `1 / (kh·kw)`), or nil when
    /// some window's divisor differs from `kh·kw` (padding that does not count, ``countIncludePad`` false) or the
    /// convolution's weights, held over all channels, would exceed `entryLimit` entries. Where it exists it
    /// computes exactly the pool: padded taps read zero, and every divisor is `kh·kw`.
    public func averagingConvolution(entryLimit: Int = 4_000_000) -> Conv2D? {
        let taps = kernelHeight * kernelWidth
        let (entries, overflow) = (channels * channels).multipliedReportingOverflow(by: taps)
        guard !overflow, entries <= entryLimit,
              (0..<outputCount).allSatisfy({ window(of: $0).divisor == taps })
        else { return nil }
        var weights = [Double](repeating: 0, count: entries)
        for c in 0..<channels {
            let start = (c * channels + c) * taps
            for t in 0..<taps { weights[start + t] = 1 / Double(taps) }
        }
        return Conv2D(
            inputChannels: channels, inputHeight: inputHeight, inputWidth: inputWidth, outputChannels: channels,
            kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideHeight: strideHeight, strideWidth: strideWidth,
            pads: pads, groups: channels, weights: weights, bias: [Double](repeating: 0, count: channels))
    }
}

extension Network {
    /// The same network with each average pool that has an exact ``Pool2D/averagingConvolution(entryLimit:)``
    /// written as that convolution (the function is unchanged; analyses that have rules for convolutions but not
    /// for pooling then apply).
    public func averagePoolsAsConvolutions() -> Network {
        var changed = false
        let rewritten = layers.map { layer -> Layer in
            guard case let .averagePool(p) = layer, let c = p.averagingConvolution() else { return layer }
            changed = true
            return .conv2d(c)
        }
        guard changed, let network = try? Network(
            inputShape: inputShape, layers: rewritten, inputName: inputName, outputName: outputName,
            inputClamp: inputClamp)
        else { return self }
        return network
    }
}
