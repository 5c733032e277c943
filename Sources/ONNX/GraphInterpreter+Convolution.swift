/// The spatial geometry of a 2-D convolution or pooling window on `[N, C, H, W]` tensors.
struct WindowGeometry {
    var batch: Int
    var channels: Int
    var height: Int
    var width: Int
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    /// Top, left, bottom, right.
    var pads: [Int]

    var outputHeight: Int { (height + pads[0] + pads[2] - ((kernel[0] - 1) * dilations[0] + 1)) / strides[0] + 1 }
    var outputWidth: Int { (width + pads[1] + pads[3] - ((kernel[1] - 1) * dilations[1] + 1)) / strides[1] + 1 }

    /// The input row and column read by kernel tap `(p, q)` of output position `(i, j)` (possibly in the padding).
    func source(_ i: Int, _ j: Int, _ p: Int, _ q: Int) -> (y: Int, x: Int) {
        (i * strides[0] - pads[0] + p * dilations[0], j * strides[1] - pads[1] + q * dilations[1])
    }

    func inside(_ y: Int, _ x: Int) -> Bool { y >= 0 && y < height && x >= 0 && x < width }
}

extension GraphInterpreter.Builder {
    /// The geometry of `x` with the node's `kernel_shape` (or `kernel`), strides, dilations and padding, as the
    /// importer reads them.
    private func geometry(_ x: Operand, kernel: [Int], dilations: [Int], _ attributes: NodeAttributes)
        throws(ONNXError) -> WindowGeometry
    {
        let context = attributes.context
        guard x.shape.count == 4 else { throw context.unsupported("input shape \(x.shape): only 2-D [N, C, H, W]") }
        let strides = try importer.pair(attributes, "strides", default: [1, 1])
        let extent = [(kernel[0] - 1) * dilations[0] + 1, (kernel[1] - 1) * dilations[1] + 1]
        let pads = try importer.padding(attributes, input: [x.shape[2], x.shape[3]], extent: extent, strides: strides)
        let g = WindowGeometry(
            batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3], kernel: kernel,
            strides: strides, dilations: dilations, pads: pads)
        guard g.height + pads[0] + pads[2] >= extent[0], g.width + pads[1] + pads[3] >= extent[1] else {
            throw context.invalid("the window \(extent) does not fit the padded input \(x.shape)")
        }
        return g
    }

    /// `Conv` (2-D, any `group`): per output, the Float32 blocked dot product over (channel, row, column) of the
    /// group's input channels, padding read as zero, then the bias added.
    func convolution(_ inputs: [Operand?], _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let context = attributes.context
        let (x, w) = (try required(inputs, 0, context), try required(inputs, 1, context))
        guard w.shape.count == 4 else { throw context.unsupported("weight of shape \(w.shape): only 2-D convolutions") }
        let group = try attributes.int("group", default: 1)
        let filters = w.shape[0]
        guard x.shape.count == 4, group > 0, filters > 0, filters % group == 0, w.shape[1] * group == x.shape[1]
        else { throw context.invalid("weight shape \(w.shape) (group \(group)) does not match input shape \(x.shape)") }
        let kernel = [w.shape[2], w.shape[3]]
        if let declared = try attributes.ints("kernel_shape"), declared != kernel {
            throw context.invalid("kernel_shape \(declared) does not match weight shape \(w.shape)")
        }
        let dilations = try importer.pair(attributes, "dilations", default: [1, 1])
        let g = try geometry(x, kernel: kernel, dilations: dilations, attributes)
        let hasBias = inputs.count > 2 && inputs[2] != nil
        if hasBias, let b = inputs[2], b.shape.reduce(1, *) != filters {
            throw context.invalid("bias has \(b.shape.reduce(1, *)) values for \(filters) filters")
        }
        let shape = [g.batch, filters, g.outputHeight, g.outputWidth]
        return Operation(shape: shape) { inputs in
            Self.convolve(inputs[0], weights: inputs[1], bias: hasBias ? inputs[2] : nil, g, filters: filters, group)
        }
    }

    private static func convolve(
        _ x: [Float], weights w: [Float], bias: [Float]?, _ g: WindowGeometry, filters: Int, _ group: Int
    ) -> [Float] {
        let groupChannels = g.channels / group, groupFilters = filters / group
        let taps = groupChannels * g.kernel[0] * g.kernel[1]
        var y: [Float] = []
        y.reserveCapacity(g.batch * filters * g.outputHeight * g.outputWidth)
        for n in 0..<g.batch {
            for f in 0..<filters {
                let firstChannel = (f / groupFilters) * groupChannels
                for i in 0..<g.outputHeight {
                    for j in 0..<g.outputWidth {
                        var sum = BlockedDotProduct(initial: 0)
                        var tap = f * taps
                        for c in firstChannel..<(firstChannel + groupChannels) {
                            let plane = (n * g.channels + c) * g.height
                            for p in 0..<g.kernel[0] {
                                for q in 0..<g.kernel[1] {
                                    let (sy, sx) = g.source(i, j, p, q)
                                    sum.add(w[tap], g.inside(sy, sx) ? x[(plane + sy) * g.width + sx] : 0)
                                    tap += 1
                                }
                            }
                        }
                        y.append(sum.value + (bias?[f] ?? 0))
                    }
                }
            }
        }
        return y
    }

    /// `MaxPool` and `AveragePool` (2-D, `ceil_mode` 0, no dilation) and `GlobalAveragePool`. Padding is skipped by
    /// the maximum; the average divides the Float32 sum of the window by its size with padding
    /// (`count_include_pad`) or by the number of input elements it covers.
    func pool(_ node: Onnx_NodeProto, _ x: Operand, _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let context = attributes.context
        if node.opType == "GlobalAveragePool" {
            guard x.shape.count == 4 else { throw context.unsupported("input shape \(x.shape): only [N, C, H, W]") }
            let g = WindowGeometry(
                batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                kernel: [x.shape[2], x.shape[3]], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0])
            return Operation(shape: [g.batch, g.channels, 1, 1]) {
                Self.pool($0[0], g, maximum: false, includePad: false)
            }
        }
        if node.output.count > 1, !node.output[1].isEmpty { throw context.unsupported("the indices output") }
        guard try attributes.int("ceil_mode", default: 0) == 0 else { throw context.unsupported("ceil_mode 1") }
        guard try attributes.ints("dilations").map({ $0.allSatisfy { $0 == 1 } }) ?? true else {
            throw context.unsupported("dilated pooling")
        }
        let kernel = try importer.pair(attributes, "kernel_shape", default: [])
        let g = try geometry(x, kernel: kernel, dilations: [1, 1], attributes)
        guard g.pads[0] < kernel[0], g.pads[2] < kernel[0], g.pads[1] < kernel[1], g.pads[3] < kernel[1] else {
            throw context.unsupported("pads \(g.pads) as large as the kernel \(kernel)")
        }
        let maximum = node.opType == "MaxPool"
        let includePad = try attributes.int("count_include_pad", default: 0) != 0
        return Operation(shape: [g.batch, g.channels, g.outputHeight, g.outputWidth]) {
            Self.pool($0[0], g, maximum: maximum, includePad: includePad)
        }
    }

    private static func pool(_ x: [Float], _ g: WindowGeometry, maximum: Bool, includePad: Bool) -> [Float] {
        var y: [Float] = []
        y.reserveCapacity(g.batch * g.channels * g.outputHeight * g.outputWidth)
        for plane in 0..<(g.batch * g.channels) {
            for i in 0..<g.outputHeight {
                for j in 0..<g.outputWidth {
                    var best = -Float.infinity, sum: Float = 0, covered = 0
                    for p in 0..<g.kernel[0] {
                        for q in 0..<g.kernel[1] {
                            let (sy, sx) = g.source(i, j, p, q)
                            guard g.inside(sy, sx) else { continue }
                            let v = x[(plane * g.height + sy) * g.width + sx]
                            best = v > best || v.isNaN ? v : best
                            sum += v
                            covered += 1
                        }
                    }
                    y.append(maximum ? best : sum / Float(includePad ? g.kernel[0] * g.kernel[1] : covered))
                }
            }
        }
        return y
    }
}
