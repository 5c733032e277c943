import Tensor

/// A 2-D transposed convolution (ONNX `ConvTranspose`) on a `[1, C, H, W]` tensor stored row-major: the adjoint of
/// a convolution plus a bias per output channel.
///
/// ONNX's `ConvTranspose` with weights `W[c, m, p, q]` (`[C, M / group, kh, kw]`), strides `s`, dilations `d`, pads
/// and `output_padding` scatters input `(c, i, j)` onto output `(m, i·s_h − pad_top + p·d_h, j·s_w − pad_left + q·d_w)`
/// with weight `W[c, m, p, q]`, dropping positions outside the output. That is `Kᵀ x + b` for the convolution `K`
/// (``adjoint``) from the output's shape `[M, H_out, W_out]` to the input's `[C, H, W]` with the same weights as
/// filters (`C` filters over `M` channels), strides, dilations, groups and pads: `K` reads output position
/// `i·s − pad + p·d` for its own output `(c, i, j)`. So every product is one of ``Conv2D``'s (im2col and BLAS), the
/// roles of the forward and the transposed product exchanged.
public struct ConvTranspose2D: Sendable, Hashable {
    /// The convolution whose adjoint this layer is: input = this layer's output shape, output = this layer's input
    /// shape; its own bias is zero and unused.
    public private(set) var adjoint: Conv2D
    /// Bias, one per output channel.
    public var bias: [Double]

    /// A transposed convolution from `[inputChannels, inputHeight, inputWidth]` to `[outputChannels, outputHeight,
    /// outputWidth]`; `weights` are ONNX's (`[inputChannels][outputChannels / groups][kernelHeight][kernelWidth]`),
    /// and the output size must be the one ONNX gives for these pads and some `output_padding` below the stride.
    public init(
        inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int, outputHeight: Int,
        outputWidth: Int, kernelHeight: Int, kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1,
        pads: [Int] = [0, 0, 0, 0], dilationHeight: Int = 1, dilationWidth: Int = 1, groups: Int = 1,
        weights: [Double], bias: [Double]
    ) {
        precondition(bias.count == outputChannels, "conv transpose bias size")
        adjoint = Conv2D(
            inputChannels: outputChannels, inputHeight: outputHeight, inputWidth: outputWidth,
            outputChannels: inputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
            strideHeight: strideHeight, strideWidth: strideWidth, pads: pads, dilationHeight: dilationHeight,
            dilationWidth: dilationWidth, groups: groups,
            weights: Conv2D.expandingGroups(
                weights, outputChannels: inputChannels, inputChannels: outputChannels,
                taps: kernelHeight * kernelWidth, groups: groups),
            bias: [Double](repeating: 0, count: inputChannels))
        precondition(
            adjoint.outputHeight == inputHeight && adjoint.outputWidth == inputWidth, "conv transpose output size")
        self.bias = bias
    }

    /// The output height for an input of height `input` (ONNX: `s·(input − 1) + output_padding + (k − 1)·d + 1 −
    /// pad_begin − pad_end`).
    public static func outputSize(
        input: Int, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int, outputPadding: Int
    ) -> Int {
        stride * (input - 1) + outputPadding + (kernel - 1) * dilation + 1 - padBegin - padEnd
    }

    /// Input channels `C`.
    public var inputChannels: Int { adjoint.outputChannels }
    /// Output channels `M`.
    public var outputChannels: Int { adjoint.inputChannels }
    /// Output height.
    public var outputHeight: Int { adjoint.inputHeight }
    /// Output width.
    public var outputWidth: Int { adjoint.inputWidth }
    /// Number of input elements.
    public var inputCount: Int { adjoint.outputCount }
    /// Number of output elements.
    public var outputCount: Int { adjoint.inputCount }
    /// Channel groups (ONNX `group`).
    public var groups: Int { adjoint.groups }
    /// The weights as ONNX stores them, `[inputChannels][outputChannels / groups][kernelHeight][kernelWidth]`.
    public var groupWeights: [Double] { adjoint.groupWeights }

    /// The same layer with ``groupWeights`` replaced by `compact` (same count and order).
    public func replacingGroupWeights(_ compact: [Double]) -> ConvTranspose2D {
        var c = self
        c.adjoint = adjoint.replacingGroupWeights(compact)
        return c
    }

    /// The linear part applied to each row of `x` (`rows × inputCount → rows × outputCount`): `Kᵀ` per row.
    public func applyLinear(rows x: Matrix) -> Matrix { adjoint.applyLinearTransposed(rows: x) }

    /// The adjoint of ``applyLinear(rows:)`` on each row (`rows × outputCount → rows × inputCount`): `K` per row.
    public func applyLinearTransposed(rows y: Matrix) -> Matrix { adjoint.applyLinear(rows: y) }

    /// The linear part applied to `x` (no bias).
    public func applyLinear(_ x: [Double]) -> [Double] { adjoint.applyLinearTransposed(x) }

    /// The adjoint of the linear part: `K y`.
    public func applyLinearTransposed(_ y: [Double]) -> [Double] { adjoint.applyLinear(y) }

    /// The full bias vector, one entry per output element.
    public var expandedBias: [Double] { Conv2D.expanded(bias, plane: outputHeight * outputWidth) }

    /// The same layer with `|W|` (for interval products).
    public var absolute: ConvTranspose2D {
        var c = self
        c.adjoint = adjoint.absolute
        return c
    }

    /// Calls `body(outputIndex, inputIndex, weightIndex)` for every tap (`weightIndex` into ``adjoint``'s
    /// weights): the convolution's taps with input and output exchanged, so not in output order.
    public func forEachTap(_ body: (Int, Int, Int) -> Void) {
        adjoint.forEachTap { convOutput, convInput, w in body(convInput, convOutput, w) }
    }

    /// The layer as an explicit `outputCount × inputCount` dense layer (for LP encodings and tests).
    public func denseEquivalent() -> Dense {
        let k = adjoint.denseEquivalent().weights
        var m = Matrix(rows: outputCount, columns: inputCount)
        for r in 0..<k.rows { for c in 0..<k.columns { m[c, r] = k[r, c] } }
        return Dense(weights: m, bias: expandedBias)
    }
}
