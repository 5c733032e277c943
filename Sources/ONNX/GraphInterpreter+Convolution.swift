/// The spatial geometry of a 2-D convolution or pooling window on `[N, C, H, W]` tensors (a 1-D window on
/// `[N, C, W]` is the 2-D window of height 1).
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
    /// Pooling's `ceil_mode`: the output size rounds up, as ONNX Runtime computes it (a last window that would
    /// start in the end padding is dropped).
    var ceilMode = false

    var outputHeight: Int { outputSize(axis: 0, input: height) }
    var outputWidth: Int { outputSize(axis: 1, input: width) }

    private func outputSize(axis: Int, input: Int) -> Int {
        let span = input + pads[axis] + pads[axis + 2] - ((kernel[axis] - 1) * dilations[axis] + 1)
        guard ceilMode, span >= 0 else { return span / strides[axis] + 1 }
        var size = (span + strides[axis] - 1) / strides[axis] + 1
        if (size - 1) * strides[axis] >= input + pads[axis] { size -= 1 }
        return size
    }

    /// The input row and column read by kernel tap `(p, q)` of output position `(i, j)` (possibly in the padding).
    func source(_ i: Int, _ j: Int, _ p: Int, _ q: Int) -> (y: Int, x: Int) {
        (i * strides[0] - pads[0] + p * dilations[0], j * strides[1] - pads[1] + q * dilations[1])
    }

    func inside(_ y: Int, _ x: Int) -> Bool { y >= 0 && y < height && x >= 0 && x < width }
}

extension GraphInterpreter.Builder {
    /// The number of spatial axes of `x`: 2 for `[N, C, H, W]`, 1 for `[N, C, W]` (read as `[N, C, 1, W]`).
    func spatialRank(_ x: Operand, _ context: NodeContext) throws(ONNXError) -> Int {
        guard x.shape.count == 4 || x.shape.count == 3 else {
            throw context.unsupported("input shape \(x.shape): only 1-D [N, C, W] and 2-D [N, C, H, W]")
        }
        return x.shape.count - 2
    }

    /// The ONNX output shape of a window operation with `channels` output channels on `g`.
    private func outputShape(_ g: WindowGeometry, channels: Int, spatialRank: Int) -> [Int] {
        spatialRank == 2 ? [g.batch, channels, g.outputHeight, g.outputWidth] : [g.batch, channels, g.outputWidth]
    }

    /// The geometry of `x` with the node's `kernel_shape` (or `kernel`), strides, dilations and padding, as the
    /// importer reads them (all as 2-D values).
    private func geometry(
        _ x: Operand, kernel: [Int], dilations: [Int], ceilMode: Bool = false, _ attributes: NodeAttributes
    ) throws(ONNXError) -> WindowGeometry {
        let context = attributes.context
        let rank = try spatialRank(x, context)
        let (height, width) = rank == 2 ? (x.shape[2], x.shape[3]) : (1, x.shape[2])
        let strides = try importer.pair(attributes, "strides", default: [1, 1], spatialRank: rank)
        let extent = [(kernel[0] - 1) * dilations[0] + 1, (kernel[1] - 1) * dilations[1] + 1]
        let pads = try importer.padding(
            attributes, input: [height, width], extent: extent, strides: strides, spatialRank: rank)
        let g = WindowGeometry(
            batch: x.shape[0], channels: x.shape[1], height: height, width: width, kernel: kernel,
            strides: strides, dilations: dilations, pads: pads, ceilMode: ceilMode)
        guard g.height + pads[0] + pads[2] >= extent[0], g.width + pads[1] + pads[3] >= extent[1] else {
            throw context.invalid("the window \(extent) does not fit the padded input \(x.shape)")
        }
        return g
    }

    /// `Conv` (1-D or 2-D, any `group`): per output, the Float32 blocked dot product over (channel, row, column)
    /// of the group's input channels, padding read as zero, then the bias added.
    func convolution(_ inputs: [Operand?], _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let context = attributes.context
        let (x, w) = (try required(inputs, 0, context), try required(inputs, 1, context))
        let rank = try spatialRank(x, context)
        guard w.shape.count == rank + 2 else {
            throw context.unsupported("weight of shape \(w.shape) for input shape \(x.shape): only 1-D and 2-D convolutions")
        }
        let group = try attributes.int("group", default: 1)
        let filters = w.shape[0]
        guard group > 0, filters > 0, filters % group == 0, w.shape[1] * group == x.shape[1]
        else { throw context.invalid("weight shape \(w.shape) (group \(group)) does not match input shape \(x.shape)") }
        let kernel = rank == 2 ? [w.shape[2], w.shape[3]] : [1, w.shape[2]]
        if let declared = try attributes.ints("kernel_shape"), declared != Array(w.shape.dropFirst(2)) {
            throw context.invalid("kernel_shape \(declared) does not match weight shape \(w.shape)")
        }
        let dilations = try importer.pair(attributes, "dilations", default: [1, 1], spatialRank: rank)
        let g = try geometry(x, kernel: kernel, dilations: dilations, attributes)
        let hasBias = inputs.count > 2 && inputs[2] != nil
        if hasBias, let b = inputs[2], b.shape.reduce(1, *) != filters {
            throw context.invalid("bias has \(b.shape.reduce(1, *)) values for \(filters) filters")
        }
        let shape = outputShape(g, channels: filters, spatialRank: rank)
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

    /// `ConvTranspose` (1-D or 2-D, any `group`): each input element scattered onto the output, Float32, in input
    /// order; positions outside the output (cropped by the pads) dropped; then the bias added.
    func transposedConvolution(_ inputs: [Operand?], _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let context = attributes.context
        let (x, w) = (try required(inputs, 0, context), try required(inputs, 1, context))
        let rank = try spatialRank(x, context)
        let (height, width) = rank == 2 ? (x.shape[2], x.shape[3]) : (1, x.shape[2])
        let t = try importer.transposedWindow(
            attributes, channels: x.shape[1], height: height, width: width, spatialRank: rank, weightShape: w.shape)
        let hasBias = inputs.count > 2 && inputs[2] != nil
        if hasBias, let b = inputs[2], b.shape.reduce(1, *) != t.filters {
            throw context.invalid("bias has \(b.shape.reduce(1, *)) values for \(t.filters) filters")
        }
        let batch = x.shape[0]
        let shape = rank == 2 ? [batch, t.filters, t.outputHeight, t.outputWidth] : [batch, t.filters, t.outputWidth]
        return Operation(shape: shape) { inputs in
            Self.scatter(inputs[0], weights: inputs[1], bias: hasBias ? inputs[2] : nil, t, batch: batch)
        }
    }

    private static func scatter(_ x: [Float], weights w: [Float], bias: [Float]?, _ t: TransposedWindow, batch: Int)
        -> [Float]
    {
        let (oh, ow) = (t.outputHeight, t.outputWidth)
        let groupFilters = t.filters / t.group, groupChannels = t.channels / t.group
        let taps = t.kernel[0] * t.kernel[1]
        var y = [Float](repeating: 0, count: batch * t.filters * oh * ow)
        for n in 0..<batch {
            for c in 0..<t.channels {
                let firstFilter = (c / groupChannels) * groupFilters
                for i in 0..<t.height {
                    for j in 0..<t.width {
                        let v = x[((n * t.channels + c) * t.height + i) * t.width + j]
                        for f in 0..<groupFilters {
                            let plane = (n * t.filters + firstFilter + f) * oh
                            for p in 0..<t.kernel[0] {
                                let yy = i * t.strides[0] - t.pads[0] + p * t.dilations[0]
                                guard yy >= 0, yy < oh else { continue }
                                for q in 0..<t.kernel[1] {
                                    let xx = j * t.strides[1] - t.pads[1] + q * t.dilations[1]
                                    guard xx >= 0, xx < ow else { continue }
                                    y[(plane + yy) * ow + xx] += v * w[(c * groupFilters + f) * taps + p * t.kernel[1] + q]
                                }
                            }
                        }
                    }
                }
            }
        }
        if let bias {
            for n in 0..<batch {
                for m in 0..<t.filters { for k in 0..<(oh * ow) { y[(n * t.filters + m) * oh * ow + k] += bias[m] } }
            }
        }
        return y
    }

    /// `MaxPool` and `AveragePool` (1-D or 2-D, `ceil_mode`, dilations for MaxPool) and `GlobalAveragePool`.
    /// Padding is skipped by the maximum; the average divides the Float32 sum of the window by its size with
    /// padding (`count_include_pad`) or by the number of input elements it covers.
    func pool(_ node: Onnx_NodeProto, _ x: Operand, _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let context = attributes.context
        let rank = try spatialRank(x, context)
        let (height, width) = rank == 2 ? (x.shape[2], x.shape[3]) : (1, x.shape[2])
        if node.opType == "GlobalAveragePool" {
            let g = WindowGeometry(
                batch: x.shape[0], channels: x.shape[1], height: height, width: width,
                kernel: [height, width], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0])
            return Operation(shape: outputShape(g, channels: g.channels, spatialRank: rank)) {
                Self.pool($0[0], g, maximum: false, includePad: false)
            }
        }
        if node.output.count > 1, !node.output[1].isEmpty { throw context.unsupported("the indices output") }
        let maximum = node.opType == "MaxPool"
        let ceilMode = try attributes.int("ceil_mode", default: 0) != 0
        let includePad = try attributes.int("count_include_pad", default: 0) != 0
        let dilations = try importer.pair(attributes, "dilations", default: [1, 1], spatialRank: rank)
        guard maximum || dilations == [1, 1] else { throw context.unsupported("dilated average pooling") }
        guard !ceilMode || maximum || !includePad else {
            throw context.unsupported("ceil_mode 1 with count_include_pad 1")
        }
        let kernel = try importer.pair(attributes, "kernel_shape", default: [], spatialRank: rank)
        let g = try geometry(x, kernel: kernel, dilations: dilations, ceilMode: ceilMode, attributes)
        guard g.pads[0] < kernel[0], g.pads[2] < kernel[0], g.pads[1] < kernel[1], g.pads[3] < kernel[1] else {
            throw context.unsupported("pads \(g.pads) as large as the kernel \(kernel)")
        }
        for i in 0..<g.outputHeight {
            for j in 0..<g.outputWidth {
                let covered = (0..<kernel[0]).contains { p in
                    (0..<kernel[1]).contains { q in
                        let (y, x) = g.source(i, j, p, q)
                        return g.inside(y, x)
                    }
                }
                guard covered else {
                    throw context.unsupported("output (\(i), \(j)) of the pooling window lies entirely in the padding")
                }
            }
        }
        return Operation(shape: outputShape(g, channels: g.channels, spatialRank: rank)) {
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
