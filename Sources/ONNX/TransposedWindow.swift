import Network

/// The geometry of an ONNX `ConvTranspose` on a `[N, C, H, W]` tensor (a 1-D one on `[N, C, W]` is the 2-D one of
/// height 1), read from its attributes and weight shape once for the importer and the graph interpreter.
///
/// Input `(c, i, j)` reaches output `(m, i·s_h − pad_top + p·d_h, j·s_w − pad_left + q·d_w)` with weight
/// `W[c, m mod (M / group), p, q]` for the `M / group` filters `m` of `c`'s group; the output is
/// `s·(in − 1) + output_padding + (k − 1)·d + 1 − pad_begin − pad_end` along each axis.
struct TransposedWindow {
    var channels: Int
    var height: Int
    var width: Int
    /// Output channels `M`.
    var filters: Int
    var group: Int
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    /// Top, left, bottom, right.
    var pads: [Int]
    var outputPadding: [Int]

    var outputHeight: Int { outputSize(axis: 0, input: height) }
    var outputWidth: Int { outputSize(axis: 1, input: width) }

    private func outputSize(axis: Int, input: Int) -> Int {
        ConvTranspose2D.outputSize(
            input: input, kernel: kernel[axis], stride: strides[axis], dilation: dilations[axis],
            padBegin: pads[axis], padEnd: pads[axis + 2], outputPadding: outputPadding[axis])
    }
}

extension GraphImporter {
    /// The `ConvTranspose` geometry for input channels and size `channels × height × width` (`spatialRank` 1 or
    /// 2) and weights of shape `weightShape` (`[C, M / group, kh(, kw)]`). Explicit `pads` and `auto_pad` VALID
    /// only: `output_shape` and the SAME modes, which runtimes resolve differently, are refused.
    func transposedWindow(
        _ attributes: NodeAttributes, channels: Int, height: Int, width: Int, spatialRank rank: Int,
        weightShape w: [Int]
    ) throws(ONNXError) -> TransposedWindow {
        let context = attributes.context
        guard w.count == rank + 2 else {
            throw context.unsupported("weight of shape \(w) for a \(rank)-D input: only 1-D and 2-D convolutions")
        }
        let group = try attributes.int("group", default: 1)
        guard group > 0, w[0] == channels, channels % group == 0, w[1] > 0 else {
            throw context.invalid("weight shape \(w) (group \(group)) does not match \(channels) input channels")
        }
        let kernel = rank == 2 ? [w[2], w[3]] : [1, w[2]]
        guard kernel.allSatisfy({ $0 > 0 }) else { throw context.invalid("weight shape \(w) has an empty kernel") }
        if let declared = try attributes.ints("kernel_shape"), declared != Array(w.dropFirst(2)) {
            throw context.invalid("kernel_shape \(declared) does not match weight shape \(w)")
        }
        if try attributes.ints("output_shape") != nil {
            throw context.unsupported("output_shape (export explicit pads and output_padding instead)")
        }
        let mode = attributes.string("auto_pad") ?? "NOTSET"
        guard ["NOTSET", "", "VALID"].contains(mode) else { throw context.unsupported("auto_pad \(mode)") }
        let strides = try pair(attributes, "strides", default: [1, 1], spatialRank: rank)
        let dilations = try pair(attributes, "dilations", default: [1, 1], spatialRank: rank)
        let pads = mode == "VALID" ? [0, 0, 0, 0] : try explicitPads(attributes, spatialRank: rank)
        let outputPadding = try attributes.ints("output_padding").map { v throws(ONNXError) -> [Int] in
            guard v.count == rank, v.allSatisfy({ $0 >= 0 }) else {
                throw context.invalid("output_padding \(v): \(rank) non-negative values expected")
            }
            return rank == 1 ? [0] + v : v
        } ?? [0, 0]
        guard (0..<2).allSatisfy({ outputPadding[$0] < max(strides[$0], dilations[$0]) }) else {
            throw context.invalid("output_padding \(outputPadding) must be below the stride or the dilation")
        }
        // The layer is the adjoint of a convolution from the output to the input's size, which needs this.
        guard (0..<2).allSatisfy({ outputPadding[$0] < strides[$0] }) else {
            throw context.unsupported("output_padding \(outputPadding) not below the strides \(strides)")
        }
        let window = TransposedWindow(
            channels: channels, height: height, width: width, filters: w[1] * group, group: group, kernel: kernel,
            strides: strides, dilations: dilations, pads: pads, outputPadding: outputPadding)
        guard window.outputHeight > 0, window.outputWidth > 0 else {
            throw context.invalid("the output [\(window.outputHeight), \(window.outputWidth)] is empty")
        }
        return window
    }
}
