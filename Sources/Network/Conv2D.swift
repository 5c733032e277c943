import Tensor

/// A 2-D convolution (ONNX `Conv`) on a `[1, C, H, W]` tensor stored row-major.
///
/// Output element `(o, i, j)` is `bias[o] + Σ_{c,p,q} W[o,c,p,q] · x[c, i·sh − padTop + p·dh, j·sw − padLeft + q·dw]`,
/// with out-of-range input positions reading as zero.
///
/// A grouped convolution (``groups`` > 1: filter `o` reads only the channels of group `o / (outputChannels / groups)`;
/// depthwise when `groups == inputChannels`) holds its filters over all channels, zero on the other groups' (see
/// ``expandingGroups(_:outputChannels:inputChannels:taps:groups:)``): every bound and encoding treats it as a
/// dense convolution, exactly, and the im2col products run one BLAS product per group, so only the storage grows
/// by `groups`. Its own weights, as ONNX stores them, are ``groupWeights``; compression and export work on those.
public struct Conv2D: Sendable, Hashable {
    /// Input channels `C`.
    public let inputChannels: Int
    /// Input height `H`.
    public let inputHeight: Int
    /// Input width `W`.
    public let inputWidth: Int
    /// Output channels (number of filters).
    public let outputChannels: Int
    /// Kernel height.
    public let kernelHeight: Int
    /// Kernel width.
    public let kernelWidth: Int
    /// Strides (height, width).
    public var strides: (Int, Int) { (strideHeight, strideWidth) }
    /// Vertical stride.
    public let strideHeight: Int
    /// Horizontal stride.
    public let strideWidth: Int
    /// Zero padding: top, left, bottom, right (ONNX `pads` order is top, left, bottom, right).
    public let pads: [Int]
    /// Vertical dilation.
    public let dilationHeight: Int
    /// Horizontal dilation.
    public let dilationWidth: Int
    /// Channel groups (ONNX `group`): 1 for an ordinary convolution.
    public let groups: Int
    /// Filters, `[outputChannels][inputChannels][kernelHeight][kernelWidth]` row-major; for a grouped convolution,
    /// zero outside each filter's group.
    public var weights: [Double]
    /// Bias, one per output channel.
    public var bias: [Double]
    /// The input index each (filter tap, output position) reads, or −1 for padding (``tapTable()``), made once.
    private(set) var taps: [Int32] = []
    /// Where each filter tap reads, as a rectangle of output positions (``tapWindows()``), made once.
    private(set) var windows: [TapWindow] = []

    /// A convolution; `weights` (over all channels, zero outside each filter's group when `groups` > 1) and `bias`
    /// sizes must match the geometry, and `groups` must divide both channel counts.
    public init(
        inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int, kernelHeight: Int,
        kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1, pads: [Int] = [0, 0, 0, 0],
        dilationHeight: Int = 1, dilationWidth: Int = 1, groups: Int = 1, weights: [Double], bias: [Double]
    ) {
        precondition(weights.count == outputChannels * inputChannels * kernelHeight * kernelWidth, "conv weight size")
        precondition(groups > 0 && inputChannels % groups == 0 && outputChannels % groups == 0, "conv groups")
        precondition(bias.count == outputChannels && pads.count == 4, "conv bias/pads size")
        precondition(strideHeight > 0 && strideWidth > 0 && dilationHeight > 0 && dilationWidth > 0, "conv stride")
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.pads = pads
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.groups = groups
        self.weights = weights
        self.bias = bias
        self.taps = tapTable()
        self.windows = tapWindows()
    }

    /// Output height.
    public var outputHeight: Int {
        (inputHeight + pads[0] + pads[2] - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1
    }
    /// Output width.
    public var outputWidth: Int {
        (inputWidth + pads[1] + pads[3] - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1
    }
    /// Number of input elements.
    public var inputCount: Int { inputChannels * inputHeight * inputWidth }
    /// Number of output elements.
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }

    /// Calls `body(outputIndex, inputIndex, weightIndex)` for every non-padding tap of the convolution, by output
    /// index (a grouped convolution's taps include the zeros outside each filter's group).
    @inlinable
    public func forEachTap(_ body: (Int, Int, Int) -> Void) {
        let oh = outputHeight, ow = outputWidth
        for o in 0..<outputChannels {
            for i in 0..<oh {
                for j in 0..<ow {
                    let out = (o * oh + i) * ow + j
                    for c in 0..<inputChannels {
                        for p in 0..<kernelHeight {
                            let y = i * strideHeight - pads[0] + p * dilationHeight
                            if y < 0 || y >= inputHeight { continue }
                            for q in 0..<kernelWidth {
                                let x = j * strideWidth - pads[1] + q * dilationWidth
                                if x < 0 || x >= inputWidth { continue }
                                body(out, (c * inputHeight + y) * inputWidth + x,
                                     ((o * inputChannels + c) * kernelHeight + p) * kernelWidth + q)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The linear part applied to `x` (no bias): `K x` (im2col and one BLAS product).
    public func applyLinear(_ x: [Double]) -> [Double] {
        precondition(x.count == inputCount, "conv input size")
        return applyLinear(rows: Matrix(rows: 1, columns: inputCount, storage: x)).storage
    }

    /// The adjoint of the linear part: `Kᵀ y` (a transposed convolution), used for back-substitution.
    public func applyLinearTransposed(_ y: [Double]) -> [Double] {
        precondition(y.count == outputCount, "conv output size")
        return applyLinearTransposed(rows: Matrix(rows: 1, columns: outputCount, storage: y)).storage
    }

    /// The full bias vector, one entry per output element.
    public var expandedBias: [Double] { Self.expanded(bias, plane: outputHeight * outputWidth) }

    /// Per-channel values repeated over each channel's `plane` positions (channel-major).
    static func expanded(_ perChannel: [Double], plane: Int) -> [Double] {
        perChannel.flatMap { repeatElement($0, count: plane) }
    }

    /// The same convolution with `|W|` (for interval products).
    public var absolute: Conv2D {
        var c = self
        c.weights = weights.map { Swift.abs($0) }
        return c
    }

    /// The same geometry with other channel counts and their filters (structured pruning; one group only).
    public func replacingChannels(input: Int? = nil, output: Int? = nil, weights: [Double], bias: [Double]) -> Conv2D {
        precondition(groups == 1, "channels of a grouped convolution")
        return Conv2D(
            inputChannels: input ?? inputChannels, inputHeight: inputHeight, inputWidth: inputWidth,
            outputChannels: output ?? outputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
            strideHeight: strideHeight, strideWidth: strideWidth, pads: pads, dilationHeight: dilationHeight,
            dilationWidth: dilationWidth, weights: weights, bias: bias)
    }

    /// The convolution as an explicit `outputCount × inputCount` dense layer (for LP encodings and tests).
    public func denseEquivalent() -> Dense {
        var m = Matrix(rows: outputCount, columns: inputCount)
        let cols = inputCount
        m.storage.withUnsafeMutableBufferPointer { pm in
            weights.withUnsafeBufferPointer { pw in
                forEachTap { out, inp, w in pm[out * cols + inp] += pw[w] }
            }
        }
        return Dense(weights: m, bias: expandedBias)
    }

    /// True when `other` reads the same input positions for every output (channels, sizes, kernel, strides,
    /// padding, dilations, groups); its filters and bias may differ.
    public func hasSameGeometry(as other: Conv2D) -> Bool {
        inputChannels == other.inputChannels && inputHeight == other.inputHeight && inputWidth == other.inputWidth
            && outputChannels == other.outputChannels && kernelHeight == other.kernelHeight
            && kernelWidth == other.kernelWidth && strideHeight == other.strideHeight
            && strideWidth == other.strideWidth && pads == other.pads && dilationHeight == other.dilationHeight
            && dilationWidth == other.dilationWidth && groups == other.groups
    }

    public static func == (a: Conv2D, b: Conv2D) -> Bool {
        a.hasSameGeometry(as: b) && a.weights == b.weights && a.bias == b.bias
    }

    public func hash(into h: inout Hasher) {
        h.combine(inputChannels); h.combine(inputHeight); h.combine(inputWidth); h.combine(outputChannels)
        h.combine(kernelHeight); h.combine(kernelWidth); h.combine(groups); h.combine(weights); h.combine(bias)
    }

    // MARK: Groups

    /// Taps per filter and input channel (`kernelHeight · kernelWidth`).
    var kernelTaps: Int { kernelHeight * kernelWidth }

    /// The filters as ONNX stores them: `[outputChannels][inputChannels / groups][kernelHeight][kernelWidth]`, each
    /// filter over its own group's channels (``weights`` itself when `groups` is 1).
    public var groupWeights: [Double] {
        guard groups > 1 else { return weights }
        let groupChannels = inputChannels / groups, groupFilters = outputChannels / groups, taps = kernelTaps
        var compact = [Double](repeating: 0, count: outputChannels * groupChannels * taps)
        for o in 0..<outputChannels {
            let from = (o * inputChannels + (o / groupFilters) * groupChannels) * taps, to = o * groupChannels * taps
            compact[to..<(to + groupChannels * taps)] = weights[from..<(from + groupChannels * taps)]
        }
        return compact
    }

    /// The same convolution with ``groupWeights`` replaced by `compact` (same count and order).
    public func replacingGroupWeights(_ compact: [Double]) -> Conv2D {
        var c = self
        c.weights = Self.expandingGroups(
            compact, outputChannels: outputChannels, inputChannels: inputChannels, taps: kernelTaps, groups: groups)
        return c
    }

    /// Grouped filters `compact` (`[outputChannels][inputChannels / groups][taps]`) as filters over all
    /// `inputChannels`, zero outside each filter's group.
    public static func expandingGroups(
        _ compact: [Double], outputChannels: Int, inputChannels: Int, taps: Int, groups: Int
    ) -> [Double] {
        guard groups > 1 else { return compact }
        let groupChannels = inputChannels / groups, groupFilters = outputChannels / groups
        precondition(compact.count == outputChannels * groupChannels * taps, "grouped conv weight size")
        var dense = [Double](repeating: 0, count: outputChannels * inputChannels * taps)
        for o in 0..<outputChannels {
            let from = o * groupChannels * taps, to = (o * inputChannels + (o / groupFilters) * groupChannels) * taps
            dense[to..<(to + groupChannels * taps)] = compact[from..<(from + groupChannels * taps)]
        }
        return dense
    }
}
