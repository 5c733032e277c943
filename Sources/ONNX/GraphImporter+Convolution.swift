import Network

extension GraphImporter {
    /// The `[1, C, H, W]` geometry of the current tensor, or an error naming the node. A 1-D `[1, C, W]` tensor
    /// reads as `[1, C, 1, W]` (`spatialRank` 1): the same data, so a 1-D window is a 2-D one of height 1.
    private func imageGeometry(_ context: NodeContext) throws(ONNXError)
        -> (channels: Int, height: Int, width: Int, spatialRank: Int)
    {
        guard shape.count == 4 || shape.count == 3 else {
            throw context.unsupported("input shape \(shape): only 1-D [1, C, W] and 2-D [1, C, H, W] tensors")
        }
        guard shape[0] == 1 else { throw context.unsupported("batch size \(shape[0])") }
        return shape.count == 4 ? (shape[1], shape[2], shape[3], 2) : (shape[1], 1, shape[2], 1)
    }

    /// Two positive integers from an attribute (`strides`, `dilations`, `kernel_shape`), or the 2-D default; for a
    /// 1-D window (`spatialRank` 1) the attribute holds one value `v`, read as `[1, v]`.
    func pair(_ attributes: NodeAttributes, _ name: String, default value: [Int], spatialRank: Int = 2)
        throws(ONNXError) -> [Int]
    {
        let v = try attributes.ints(name) ?? Array(value.suffix(spatialRank))
        guard v.count == spatialRank, v.allSatisfy({ $0 > 0 }) else {
            throw attributes.context.invalid(
                "\(name) \(v): \(spatialRank == 1 ? "one positive value" : "two positive values") expected")
        }
        return spatialRank == 1 ? [1] + v : v
    }

    /// Padding `[top, left, bottom, right]` from `pads` or `auto_pad` (NOTSET, VALID, SAME_UPPER, SAME_LOWER).
    ///
    /// `extent` is the effective kernel extent `(k − 1)·dilation + 1` per axis.
    /// A 1-D window's `pads` `[begin, end]` read as `[0, begin, 0, end]` (`input`, `extent` and `strides` are the
    /// 2-D values, of height 1, for it).
    func padding(
        _ attributes: NodeAttributes, input: [Int], extent: [Int], strides: [Int], spatialRank: Int = 2
    ) throws(ONNXError) -> [Int] {
        let context = attributes.context
        switch attributes.string("auto_pad") ?? "NOTSET" {
        case "NOTSET", "":
            return try explicitPads(attributes, spatialRank: spatialRank)
        case "VALID":
            return [0, 0, 0, 0]
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            var begin = [0, 0], end = [0, 0]
            for axis in 0..<2 {
                let out = (input[axis] + strides[axis] - 1) / strides[axis]
                let total = max(0, (out - 1) * strides[axis] + extent[axis] - input[axis])
                begin[axis] = mode == "SAME_UPPER" ? total / 2 : total - total / 2
                end[axis] = total - begin[axis]
            }
            return [begin[0], begin[1], end[0], end[1]]
        case let mode:
            throw context.invalid("unknown auto_pad '\(mode)'")
        }
    }

    /// `Conv` (1-D or 2-D; strides, dilations, padding, `auto_pad`; any `group`: ``Conv2D/groups``).
    /// The `pads` attribute (zeros when absent) as `[top, left, bottom, right]`; a 1-D window's `[begin, end]`
    /// reads as `[0, begin, 0, end]`.
    func explicitPads(_ attributes: NodeAttributes, spatialRank: Int) throws(ONNXError) -> [Int] {
        let pads = try attributes.ints("pads") ?? Array(repeating: 0, count: 2 * spatialRank)
        guard pads.count == 2 * spatialRank, pads.allSatisfy({ $0 >= 0 }) else {
            throw attributes.context.invalid(
                "pads \(pads): \(spatialRank == 1 ? "two" : "four") non-negative values expected")
        }
        return spatialRank == 1 ? [0, pads[0], 0, pads[1]] : pads
    }

    mutating func importConv(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        let (channels, height, width, rank) = try imageGeometry(context)
        let weight = try constantInput(node, 1, context, what: "weight")
        guard weight.shape.count == rank + 2 else {
            throw context.unsupported(
                "weight of shape \(weight.shape) for input shape \(shape): only 1-D and 2-D convolutions")
        }
        let group = try attributes.int("group", default: 1)
        let (filters, kh, kw) = (weight.shape[0], rank == 2 ? weight.shape[2] : 1, weight.shape[rank + 1])
        guard group > 0, filters > 0, kh > 0, kw > 0, filters % group == 0, weight.shape[1] * group == channels else {
            throw context.invalid("weight shape \(weight.shape) (group \(group)) does not match input shape \(shape)")
        }
        if let kernel = try attributes.ints("kernel_shape"), kernel != Array(weight.shape.dropFirst(2)) {
            throw context.invalid("kernel_shape \(kernel) does not match weight shape \(weight.shape)")
        }
        var bias = [Double](repeating: 0, count: filters)
        if let b = try optionalConstantInput(node, 2, context, what: "bias") {
            guard b.count == filters else { throw context.invalid("bias has \(b.count) values for \(filters) filters") }
            bias = b.values
        }
        let strides = try pair(attributes, "strides", default: [1, 1], spatialRank: rank)
        let dilations = try pair(attributes, "dilations", default: [1, 1], spatialRank: rank)
        let extent = [(kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1]
        let pads = try padding(attributes, input: [height, width], extent: extent, strides: strides, spatialRank: rank)
        let conv = Conv2D(
            inputChannels: channels, inputHeight: height, inputWidth: width, outputChannels: filters, kernelHeight: kh,
            kernelWidth: kw, strideHeight: strides[0], strideWidth: strides[1], pads: pads,
            dilationHeight: dilations[0],
            dilationWidth: dilations[1], groups: group,
            weights: Conv2D.expandingGroups(
                weight.values, outputChannels: filters, inputChannels: channels, taps: kh * kw, groups: group),
            bias: bias)
        let output = [1, filters, conv.outputHeight, conv.outputWidth]
        guard conv.outputHeight > 0, conv.outputWidth > 0, ConstantTensor.elementCount(output) != nil else {
            throw context.invalid("output shape \(output) is empty or too large")
        }
        shape = rank == 2 ? output : [1, filters, conv.outputWidth]
        chain.append(.conv2d(conv), producing: output, node: context.name, op: context.op)
    }

    /// `ConvTranspose` (1-D or 2-D; strides, dilations, pads, `output_padding`, any `group`): a ``ConvTranspose2D``,
    /// the adjoint of a convolution (``TransposedWindow`` for the attributes read).
    mutating func importConvTranspose(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        let (channels, height, width, rank) = try imageGeometry(context)
        let weight = try constantInput(node, 1, context, what: "weight")
        let t = try transposedWindow(
            attributes, channels: channels, height: height, width: width, spatialRank: rank, weightShape: weight.shape)
        var bias = [Double](repeating: 0, count: t.filters)
        if let b = try optionalConstantInput(node, 2, context, what: "bias") {
            guard b.count == t.filters else { throw context.invalid("bias has \(b.count) values for \(t.filters) filters") }
            bias = b.values
        }
        let output = [1, t.filters, t.outputHeight, t.outputWidth]
        guard ConstantTensor.elementCount(output) != nil else { throw context.invalid("output shape \(output) is too large") }
        let layer = ConvTranspose2D(
            inputChannels: channels, inputHeight: height, inputWidth: width, outputChannels: t.filters,
            outputHeight: t.outputHeight, outputWidth: t.outputWidth, kernelHeight: t.kernel[0], kernelWidth: t.kernel[1],
            strideHeight: t.strides[0], strideWidth: t.strides[1], pads: t.pads, dilationHeight: t.dilations[0],
            dilationWidth: t.dilations[1], groups: t.group, weights: weight.values, bias: bias)
        shape = rank == 2 ? output : [1, t.filters, t.outputWidth]
        chain.append(.convTranspose(layer), producing: output, node: context.name, op: context.op)
    }

    /// `MaxPool`, `AveragePool` (1-D or 2-D; `ceil_mode`; `dilations` for MaxPool) and `GlobalAveragePool`.
    ///
    /// Padding must be smaller than the kernel (as ONNX Runtime requires). An undilated window is one ``Pool2D``
    /// layer (`ceil_mode` becomes extra padding at the end, smaller than the kernel, which both poolings skip). A
    /// dilated MaxPool window is imported as a selection followed by a pooling layer:
    /// a dense 0/1 layer copies each window's taps into a row of its own, a padding tap replaced by a copy of a
    /// tap inside the input (the maximum is unchanged by a repeated element), and a `1 × taps` max pooling with
    /// stride `taps` takes each row's maximum.
    mutating func importPool(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        let (channels, height, width, rank) = try imageGeometry(context)
        if node.output.count > 1, !node.output[1].isEmpty { throw context.unsupported("the indices output") }
        let global = context.op == "GlobalAveragePool"
        let maximum = context.op == "MaxPool"
        let kernel = global ? [height, width] : try pair(attributes, "kernel_shape", default: [], spatialRank: rank)
        let strides = global ? [1, 1] : try pair(attributes, "strides", default: [1, 1], spatialRank: rank)
        let dilations = global ? [1, 1] : try pair(attributes, "dilations", default: [1, 1], spatialRank: rank)
        let ceilMode = global ? false : try attributes.int("ceil_mode", default: 0) != 0
        let countIncludePad = try attributes.int("count_include_pad", default: 0) != 0
        guard maximum || dilations == [1, 1] else { throw context.unsupported("dilated average pooling") }
        guard !ceilMode || maximum || !countIncludePad else {
            throw context.unsupported("ceil_mode 1 with count_include_pad 1")
        }
        let extent = [(kernel[0] - 1) * dilations[0] + 1, (kernel[1] - 1) * dilations[1] + 1]
        let pads =
            global
            ? [0, 0, 0, 0]
            : try padding(attributes, input: [height, width], extent: extent, strides: strides, spatialRank: rank)
        let g = WindowGeometry(
            batch: 1, channels: channels, height: height, width: width, kernel: kernel, strides: strides,
            dilations: dilations, pads: pads, ceilMode: ceilMode)
        guard height + pads[0] + pads[2] >= extent[0], width + pads[1] + pads[3] >= extent[1] else {
            throw context.invalid("the window \(extent) does not fit the padded input \(shape)")
        }
        let output = [1, channels, g.outputHeight, g.outputWidth]
        guard ConstantTensor.elementCount(output) != nil else { throw context.invalid("output shape \(output) is too large") }
        // The padding that makes the floor-mode output size equal g's (ceil_mode adds it at the end).
        let endPads = [
            max(pads[2], (g.outputHeight - 1) * strides[0] + extent[0] - height - pads[0]),
            max(pads[3], (g.outputWidth - 1) * strides[1] + extent[1] - width - pads[1]),
        ]
        // ONNX Runtime refuses padding as large as the kernel; so does the importer (a window could lie in it).
        guard pads[0] < kernel[0], pads[2] < kernel[0], pads[1] < kernel[1], pads[3] < kernel[1] else {
            throw context.unsupported("pads \(pads) as large as the kernel \(kernel)")
        }
        let native = [pads[0], pads[1], endPads[0], endPads[1]]
        let onnxShape = rank == 2 ? output : [1, channels, g.outputWidth]
        if dilations == [1, 1], native[0] < kernel[0], native[2] < kernel[0], native[1] < kernel[1],
            native[3] < kernel[1]
        {
            let pool = Pool2D(
                channels: channels, inputHeight: height, inputWidth: width, kernelHeight: kernel[0],
                kernelWidth: kernel[1], strideHeight: strides[0], strideWidth: strides[1], pads: native,
                countIncludePad: countIncludePad)
            guard pool.outputHeight == g.outputHeight, pool.outputWidth == g.outputWidth else {
                throw context.invalid("pooling output \(output) is not reproduced by the pooling layer")
            }
            shape = onnxShape
            chain.append(maximum ? .maxPool(pool) : .averagePool(pool), producing: output, node: context.name, op: context.op)
            return
        }
        try importWindowMaximum(g, output: onnxShape, context)
    }

    /// MaxPool of any window geometry as a selection of every window's taps and a row-wise max pooling.
    private mutating func importWindowMaximum(_ g: WindowGeometry, output: [Int], _ context: NodeContext)
        throws(ONNXError)
    {
        let taps = g.kernel[0] * g.kernel[1]
        let windows = g.outputHeight * g.outputWidth
        var elements: [SelectedElement] = []
        for c in 0..<g.channels {
            for i in 0..<g.outputHeight {
                for j in 0..<g.outputWidth {
                    var sources: [Int?] = []
                    for p in 0..<g.kernel[0] {
                        for q in 0..<g.kernel[1] {
                            let (y, x) = g.source(i, j, p, q)
                            sources.append(g.inside(y, x) ? (c * g.height + y) * g.width + x : nil)
                        }
                    }
                    guard let first = sources.compactMap({ $0 }).first else {
                        throw context.unsupported("output (\(i), \(j)) of the pooling window lies entirely in the padding")
                    }
                    elements += sources.map { SelectedElement(source: $0 ?? first) }
                }
            }
        }
        try appendSelection(elements, output: [1, g.channels, windows, taps], context)
        let pool = Pool2D(
            channels: g.channels, inputHeight: windows, inputWidth: taps, kernelHeight: 1, kernelWidth: taps,
            strideHeight: 1, strideWidth: taps)
        chain.append(.maxPool(pool), producing: [1, g.channels, windows, 1], node: context.name, op: context.op)
        shape = output
    }
}
