import Network

extension GraphImporter {
    /// The `[1, C, H, W]` geometry of the current tensor, or an error naming the node.
    private func imageGeometry(_ context: NodeContext) throws(ONNXError) -> (channels: Int, height: Int, width: Int) {
        guard shape.count == 4 else { throw context.unsupported("input shape \(shape): only 2-D [1, C, H, W] tensors") }
        guard shape[0] == 1 else { throw context.unsupported("batch size \(shape[0])") }
        return (shape[1], shape[2], shape[3])
    }

    /// Two positive integers from an attribute (`strides`, `dilations`, `kernel_shape`), or the default.
    func pair(_ attributes: NodeAttributes, _ name: String, default value: [Int]) throws(ONNXError) -> [Int] {
        let v = try attributes.ints(name) ?? value
        guard v.count == 2, v.allSatisfy({ $0 > 0 }) else {
            throw attributes.context.invalid("\(name) \(v): two positive values expected")
        }
        return v
    }

    /// Padding `[top, left, bottom, right]` from `pads` or `auto_pad` (NOTSET, VALID, SAME_UPPER, SAME_LOWER).
    ///
    /// `extent` is the effective kernel extent `(k − 1)·dilation + 1` per axis.
    func padding(_ attributes: NodeAttributes, input: [Int], extent: [Int], strides: [Int]) throws(ONNXError)
        -> [Int]
    {
        let context = attributes.context
        switch attributes.string("auto_pad") ?? "NOTSET" {
        case "NOTSET", "":
            let pads = try attributes.ints("pads") ?? [0, 0, 0, 0]
            guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else {
                throw context.invalid("pads \(pads): four non-negative values expected")
            }
            return pads
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

    mutating func importConv(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        let (channels, height, width) = try imageGeometry(context)
        let weight = try constantInput(node, 1, context, what: "weight")
        guard weight.shape.count == 4 else {
            throw context.unsupported("weight of shape \(weight.shape): only 2-D convolutions")
        }
        let group = try attributes.int("group", default: 1)
        guard group == 1 else { throw context.unsupported("group \(group) (only group 1)") }
        let (filters, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        guard filters > 0, kh > 0, kw > 0, weight.shape[1] == channels else {
            throw context.invalid("weight shape \(weight.shape) does not match input shape \(shape)")
        }
        if let kernel = try attributes.ints("kernel_shape"), kernel != [kh, kw] {
            throw context.invalid("kernel_shape \(kernel) does not match weight shape \(weight.shape)")
        }
        var bias = [Double](repeating: 0, count: filters)
        if let b = try optionalConstantInput(node, 2, context, what: "bias") {
            guard b.count == filters else { throw context.invalid("bias has \(b.count) values for \(filters) filters") }
            bias = b.values
        }
        let strides = try pair(attributes, "strides", default: [1, 1])
        let dilations = try pair(attributes, "dilations", default: [1, 1])
        let extent = [(kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1]
        let pads = try padding(attributes, input: [height, width], extent: extent, strides: strides)
        let conv = Conv2D(
            inputChannels: channels, inputHeight: height, inputWidth: width, outputChannels: filters, kernelHeight: kh,
            kernelWidth: kw, strideHeight: strides[0], strideWidth: strides[1], pads: pads,
            dilationHeight: dilations[0],
            dilationWidth: dilations[1], weights: weight.values, bias: bias)
        let output = [1, filters, conv.outputHeight, conv.outputWidth]
        guard conv.outputHeight > 0, conv.outputWidth > 0, ConstantTensor.elementCount(output) != nil else {
            throw context.invalid("output shape \(output) is empty or too large")
        }
        shape = output
        chain.append(.conv2d(conv), producing: output, node: context.name, op: context.op)
    }

    mutating func importPool(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        let (channels, height, width) = try imageGeometry(context)
        if node.output.count > 1, !node.output[1].isEmpty { throw context.unsupported("the indices output") }
        let global = context.op == "GlobalAveragePool"
        let kernel = global ? [height, width] : try pair(attributes, "kernel_shape", default: [])
        let strides = global ? [1, 1] : try pair(attributes, "strides", default: [1, 1])
        guard try attributes.int("ceil_mode", default: 0) == 0 else { throw context.unsupported("ceil_mode 1") }
        guard try attributes.ints("dilations").map({ $0.allSatisfy { $0 == 1 } }) ?? true else {
            throw context.unsupported("dilated pooling")
        }
        let pads =
            global ? [0, 0, 0, 0] : try padding(attributes, input: [height, width], extent: kernel, strides: strides)
        guard pads[0] < kernel[0], pads[2] < kernel[0], pads[1] < kernel[1], pads[3] < kernel[1] else {
            throw context.unsupported("pads \(pads) as large as the kernel \(kernel)")
        }
        let pool = Pool2D(
            channels: channels, inputHeight: height, inputWidth: width, kernelHeight: kernel[0], kernelWidth: kernel[1],
            strideHeight: strides[0], strideWidth: strides[1], pads: pads,
            countIncludePad: try attributes.int("count_include_pad", default: 0) != 0)
        let output = [1, channels, pool.outputHeight, pool.outputWidth]
        guard pool.outputHeight > 0, pool.outputWidth > 0, ConstantTensor.elementCount(output) != nil else {
            throw context.invalid("output shape \(output) is empty or too large")
        }
        shape = output
        let layer: Layer = context.op == "MaxPool" ? .maxPool(pool) : .averagePool(pool)
        chain.append(layer, producing: output, node: context.name, op: context.op)
    }
}
