/// Geometry of a 2-D pooling window (ONNX `MaxPool` / `AveragePool`) on a `[1, C, H, W]` tensor.
public struct Pool2D: Sendable, Hashable {
    /// Channels `C` (pooling is per channel).
    public var channels: Int
    /// Input height.
    public var inputHeight: Int
    /// Input width.
    public var inputWidth: Int
    /// Window height.
    public var kernelHeight: Int
    /// Window width.
    public var kernelWidth: Int
    /// Vertical stride.
    public var strideHeight: Int
    /// Horizontal stride.
    public var strideWidth: Int
    /// Padding: top, left, bottom, right.
    public var pads: [Int]
    /// For average pooling: whether padded positions count in the divisor (ONNX `count_include_pad`).
    public var countIncludePad: Bool

    /// A pooling window.
    public init(
        channels: Int, inputHeight: Int, inputWidth: Int, kernelHeight: Int, kernelWidth: Int, strideHeight: Int,
        strideWidth: Int, pads: [Int] = [0, 0, 0, 0], countIncludePad: Bool = false
    ) {
        precondition(pads.count == 4 && strideHeight > 0 && strideWidth > 0, "pool geometry")
        self.channels = channels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.pads = pads
        self.countIncludePad = countIncludePad
    }

    /// Output height.
    public var outputHeight: Int { (inputHeight + pads[0] + pads[2] - kernelHeight) / strideHeight + 1 }
    /// Output width.
    public var outputWidth: Int { (inputWidth + pads[1] + pads[3] - kernelWidth) / strideWidth + 1 }
    /// Number of output elements.
    public var outputCount: Int { channels * outputHeight * outputWidth }

    /// The input indices covered by output element `out` (padding positions excluded), and the window's divisor
    /// for average pooling.
    public func window(of out: Int) -> (indices: [Int], divisor: Int) {
        var indices: [Int] = []
        indices.reserveCapacity(kernelHeight * kernelWidth)
        forEachIndex(inWindowOf: out) { indices.append($0) }
        return (indices, countIncludePad ? kernelHeight * kernelWidth : indices.count)
    }

    /// Calls `body` with each input index of output element `out`'s window, in ``window(of:)``'s order, without
    /// building the list (the forward and backward passes of evaluation call it for every output).
    @inlinable
    public func forEachIndex(inWindowOf out: Int, _ body: (Int) -> Void) {
        let plane = outputHeight * outputWidth
        let c = out / plane
        let i = (out % plane) / outputWidth
        let j = out % outputWidth
        for p in 0..<kernelHeight {
            let y = i * strideHeight - pads[0] + p
            if y < 0 || y >= inputHeight { continue }
            for q in 0..<kernelWidth {
                let x = j * strideWidth - pads[1] + q
                if x < 0 || x >= inputWidth { continue }
                body((c * inputHeight + y) * inputWidth + x)
            }
        }
    }

    /// The largest number of windows that share one input element (1 when the windows do not overlap).
    public var windowOverlap: Int {
        var count = [Int](repeating: 0, count: channels * inputHeight * inputWidth)
        for out in 0..<outputCount { forEachIndex(inWindowOf: out) { count[$0] += 1 } }
        return count.max() ?? 0
    }
}
