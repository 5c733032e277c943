import Foundation

extension GraphInterpreter.Builder {
    /// Checks a node against the shapes of its inputs and builds its kernel.
    func operation(_ node: Onnx_NodeProto, _ inputs: [Operand?], _ attributes: NodeAttributes) throws(ONNXError)
        -> Operation
    {
        let context = attributes.context
        let x = try required(inputs, 0, context)
        switch node.opType {
        case "Identity": return Operation(shape: x.shape) { $0[0] }
        case "Dropout": return try dropout(node, x, attributes)
        case "Cast": return try cast(x, attributes)
        case "Neg": return Operation(shape: x.shape) { $0[0].map { -$0 } }
        case "Relu": return Operation(shape: x.shape) { $0[0].map { $0 < 0 ? 0 : $0 } }  // NaN stays NaN
        case "Sigmoid": return Operation(shape: x.shape) { $0[0].map { 1 / (1 + exp(-$0)) } }
        case "Tanh": return Operation(shape: x.shape) { $0[0].map { tanh($0) } }
        case "Softmax": return try softmax(x, attributes)
        case "Add": return try Self.binary(x, try required(inputs, 1, context), context, +)
        case "Sub": return try Self.binary(x, try required(inputs, 1, context), context, -)
        case "Mul": return try Self.binary(x, try required(inputs, 1, context), context, *)
        case "Div": return try Self.binary(x, try required(inputs, 1, context), context, /)
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze":
            return Operation(shape: try reshaped(node, x.shape, attributes)) { $0[0] }
        case "Transpose": return try transpose(x, attributes)
        case "Concat": return try concat(inputs.compactMap { $0 }, attributes)
        case "Gather": return try gather(node, x, attributes)
        case "Slice", "Expand", "ReduceSum", "ReduceMean":
            let map = try importer.linearMap(node, on: x.shape, attributes)
            return Operation(shape: map.shape) { map.apply($0[0]) }
        case "Gemm": return try gemm(inputs, attributes)
        case "MatMul": return try matMul(x, try required(inputs, 1, context), context)
        case "BatchNormalization": return try batchNormalization(node, inputs, attributes)
        case "Conv": return try convolution(inputs, attributes)
        case "ConvTranspose": return try transposedConvolution(inputs, attributes)
        case "MaxPool", "AveragePool", "GlobalAveragePool": return try pool(node, x, attributes)
        default: throw context.unsupported("\(node.opType) is not executed by the graph interpreter")
        }
    }

    /// ONNX `Softmax` in Float32 as ONNX Runtime computes it: per group, `exp(x − max)` divided by its sum.
    func softmax(_ x: Operand, _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let axis = try attributes.optionalInt("axis"), opset = importer.opset
        let group = try importer.rule(attributes.context) { () throws(ReasonError) in
            try ShapeRules.softmaxGroup(x.shape, axis: axis, opset: opset)
        }
        guard let size = group else {
            throw attributes.context.unsupported(ShapeRules.softmaxAxisRefusal(axis: axis, shape: x.shape))
        }
        return Operation(shape: x.shape) { inputs in
            var y = inputs[0]
            guard size > 0 else { return y }
            for start in stride(from: 0, to: y.count, by: size) {
                let group = start..<(start + size)
                let top = y[group].max() ?? 0
                var sum: Float = 0
                for i in group {
                    y[i] = expf(y[i] - top)
                    sum += y[i]
                }
                for i in group { y[i] /= sum }
            }
            return y
        }
    }

    /// The input at `position`, or an error naming the node.
    func required(_ inputs: [Operand?], _ position: Int, _ context: NodeContext) throws(ONNXError) -> Operand {
        guard position < inputs.count, let operand = inputs[position] else {
            throw context.invalid("missing input \(position)")
        }
        return operand
    }

    /// For every element of `target` (row-major), the flat index of the element of `shape` it is broadcast from.
    static func broadcastIndices(_ shape: [Int], to target: [Int]) -> [Int]? {
        let positions = ConstantTensor(shape: shape, values: (0..<shape.reduce(1, *)).map(Double.init))
        return positions.expanded(to: target)?.map { Int($0) }
    }

    /// An elementwise operation with numpy broadcasting (`Div` is a true Float32 division).
    static func binary(
        _ a: Operand, _ b: Operand, _ context: NodeContext, _ op: @escaping @Sendable (Float, Float) -> Float
    ) throws(ONNXError) -> Operation {
        guard let shape = ConstantTensor.broadcastShape(a.shape, b.shape),
            let left = broadcastIndices(a.shape, to: shape), let right = broadcastIndices(b.shape, to: shape)
        else { throw context.invalid("shapes \(a.shape) and \(b.shape) do not broadcast") }
        return Operation(shape: shape) { inputs in
            let (x, y) = (inputs[0], inputs[1])
            return left.indices.map { op(x[left[$0]], y[right[$0]]) }
        }
    }

    /// `Dropout` in inference: the identity (a constant `training_mode` true is refused).
    private func dropout(_ node: Onnx_NodeProto, _ x: Operand, _ attributes: NodeAttributes) throws(ONNXError)
        -> Operation
    {
        if let mode = try importer.optionalConstantInput(node, 2, attributes.context, what: "training_mode"),
            mode.values.contains(where: { $0 != 0 })
        {
            throw attributes.context.unsupported("training mode")
        }
        return Operation(shape: x.shape) { $0[0] }
    }

    /// `Cast` to FLOAT or DOUBLE (the data stays Float32) or to INT32/INT64 (truncation toward zero).
    private func cast(_ x: Operand, _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        switch try attributes.int("to", default: 1) {
        case 1, 11: return Operation(shape: x.shape) { $0[0] }
        case 6, 7: return Operation(shape: x.shape) { $0[0].map { $0.rounded(.towardZero) } }
        case let to:
            throw attributes.context.unsupported("cast to \(ConstantTensor.DataType.name(of: Int32(clamping: to)))")
        }
    }

    /// The output shape of the data-preserving operators (Flatten, Reshape, Squeeze, Unsqueeze).
    private func reshaped(_ node: Onnx_NodeProto, _ shape: [Int], _ attributes: NodeAttributes) throws(ONNXError)
        -> [Int]
    {
        let context = attributes.context
        switch node.opType {
        case "Flatten":
            let axis = try attributes.int("axis", default: 1)
            return try importer.rule(context) { () throws(ReasonError) in try ShapeRules.flatten(shape, axis: axis) }
        case "Reshape":
            let spec = try importer.reshapeSpec(node, attributes)
            let allowZero = try attributes.int("allowzero", default: 0) != 0
            return try importer.rule(context) { () throws(ReasonError) in
                try ShapeRules.reshape(shape, to: spec, allowZero: allowZero)
            }
        case "Squeeze":
            let axes = try importer.axes(node, attributes)
            return try importer.rule(context) { () throws(ReasonError) in try ShapeRules.squeeze(shape, axes: axes) }
        default:
            guard let axes = try importer.axes(node, attributes) else { throw context.invalid("missing axes") }
            return try importer.rule(context) { () throws(ReasonError) in try ShapeRules.unsqueeze(shape, axes: axes) }
        }
    }

    private func transpose(_ x: Operand, _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let attribute = try attributes.ints("perm")
        let perm = try importer.rule(attributes.context) { () throws(ReasonError) in
            try ShapeRules.permutation(attribute, rank: x.shape.count)
        }
        let positions = ConstantTensor(shape: x.shape, values: (0..<x.shape.reduce(1, *)).map(Double.init))
        let source = positions.transposed(perm).values.map { Int($0) }
        return Operation(shape: perm.map { x.shape[$0] }) { inputs in source.map { inputs[0][$0] } }
    }

    private func concat(_ parts: [Operand], _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let context = attributes.context
        guard let first = parts.first else { throw context.invalid("no inputs") }
        let rank = first.shape.count
        let requested = try attributes.int("axis", default: 0)
        let axis = try importer.rule(context) { () throws(ReasonError) in try ShapeRules.axis(requested, rank: rank) }
        for p in parts
        where p.shape.count != rank || (0..<rank).contains(where: { $0 != axis && p.shape[$0] != first.shape[$0] }) {
            throw context.invalid("input shapes \(parts.map(\.shape)) do not concatenate on axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        let sizes = parts.map { $0.shape[axis] * inner }
        var shape = first.shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        return Operation(shape: shape) { inputs in
            var y: [Float] = []
            y.reserveCapacity(outer * sizes.reduce(0, +))
            for o in 0..<outer {
                for (part, size) in zip(inputs, sizes) { y.append(contentsOf: part[(o * size)..<((o + 1) * size)]) }
            }
            return y
        }
    }

    /// `Gather` of any tensor along `axis` at constant indices.
    private func gather(_ node: Onnx_NodeProto, _ data: Operand, _ attributes: NodeAttributes) throws(ONNXError)
        -> Operation
    {
        let indices = try importer.constantInput(node, 1, attributes.context, what: "indices")
        let positions = ConstantTensor(shape: data.shape, values: (0..<data.shape.reduce(1, *)).map(Double.init))
        let gathered = try importer.gather(positions, indices, attributes)
        let source = gathered.values.map { Int($0) }
        return Operation(shape: gathered.shape) { inputs in source.map { inputs[0][$0] } }
    }

    /// `Gemm`: `alpha · A'·B' + beta · C`, A' and B' optionally transposed, C broadcast to the output.
    private func gemm(_ inputs: [Operand?], _ attributes: NodeAttributes) throws(ONNXError) -> Operation {
        let context = attributes.context
        let (a, b) = (try required(inputs, 0, context), try required(inputs, 1, context))
        guard a.shape.count == 2, b.shape.count == 2 else {
            throw context.invalid("shapes \(a.shape) and \(b.shape): Gemm needs two matrices")
        }
        let transA = try attributes.int("transA", default: 0) != 0
        let transB = try attributes.int("transB", default: 0) != 0
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (bk, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard bk == k else { throw context.invalid("shapes \(a.shape) and \(b.shape) do not multiply") }
        let alpha = Float(try attributes.float("alpha", default: 1))
        let beta = Float(try attributes.float("beta", default: 1))
        var bias: [Int]?
        if inputs.count > 2, let c = inputs[2] {
            guard let map = Self.broadcastIndices(c.shape, to: [m, n]) else {
                throw context.invalid("bias shape \(c.shape) does not broadcast to the output [\(m), \(n)]")
            }
            bias = map
        }
        let left = MatrixLayout(offset: 0, rowStride: transA ? 1 : k, columnStride: transA ? m : 1)
        let right = MatrixLayout(offset: 0, rowStride: transB ? 1 : n, columnStride: transB ? k : 1)
        return Operation(shape: [m, n]) { [bias] inputs in
            var y =
                bias.map { map in map.map { beta == 1 ? inputs[2][$0] : beta * inputs[2][$0] } }
                ?? [Float](repeating: 0, count: m * n)
            Self.accumulateProduct(inputs[0], left, inputs[1], right, (m, k, n), alpha: alpha, into: &y, at: 0)
            return y
        }
    }

    /// `MatMul` with numpy semantics: 1-D operands promoted, leading (batch) dimensions broadcast.
    private func matMul(_ a: Operand, _ b: Operand, _ context: NodeContext) throws(ONNXError) -> Operation {
        guard !a.shape.isEmpty, !b.shape.isEmpty else { throw context.invalid("MatMul of a scalar") }
        let aShape = a.shape.count == 1 ? [1] + a.shape : a.shape
        let bShape = b.shape.count == 1 ? b.shape + [1] : b.shape
        let (m, k) = (aShape[aShape.count - 2], aShape[aShape.count - 1])
        let (bk, n) = (bShape[bShape.count - 2], bShape[bShape.count - 1])
        let (aBatch, bBatch) = (Array(aShape.dropLast(2)), Array(bShape.dropLast(2)))
        guard bk == k, let batch = ConstantTensor.broadcastShape(aBatch, bBatch),
            let leftBatch = Self.broadcastIndices(aBatch, to: batch),
            let rightBatch = Self.broadcastIndices(bBatch, to: batch)
        else { throw context.invalid("shapes \(a.shape) and \(b.shape) do not multiply") }
        var shape = batch + [m, n]
        if a.shape.count == 1 { shape.remove(at: shape.count - 2) }
        if b.shape.count == 1 { shape.removeLast() }
        return Operation(shape: shape) { inputs in
            var y = [Float](repeating: 0, count: leftBatch.count * m * n)
            for t in leftBatch.indices {
                Self.accumulateProduct(
                    inputs[0], MatrixLayout(offset: leftBatch[t] * m * k, rowStride: k, columnStride: 1),
                    inputs[1], MatrixLayout(offset: rightBatch[t] * k * n, rowStride: n, columnStride: 1),
                    (m, k, n), alpha: 1, into: &y, at: t * m * n)
            }
            return y
        }
    }

    /// `BatchNormalization` in inference form, computed as ONNX Runtime's CPU kernel does in Float32:
    /// `s = scale · (1 / sqrt(var + ε))`, `t = B − mean · s`, `y = x · s + t` per channel.
    private func batchNormalization(_ node: Onnx_NodeProto, _ inputs: [Operand?], _ attributes: NodeAttributes)
        throws(ONNXError) -> Operation
    {
        let context = attributes.context
        let x = try required(inputs, 0, context)
        guard x.shape.count >= 2 else { throw context.invalid("input shape \(x.shape) has no channel axis") }
        guard try attributes.int("training_mode", default: 0) == 0, node.output.dropFirst().allSatisfy(\.isEmpty)
        else { throw context.unsupported("training mode") }
        guard try attributes.int("spatial", default: 1) == 1 else { throw context.unsupported("spatial 0") }
        let channels = x.shape[1]
        for (position, what) in [(1, "scale"), (2, "bias B"), (3, "mean"), (4, "variance")] {
            let p = try required(inputs, position, context)
            guard p.shape.reduce(1, *) == channels else {
                throw context.invalid("\(what) has \(p.shape.reduce(1, *)) values for \(channels) channels")
            }
        }
        let epsilon = Float(try attributes.float("epsilon", default: 1e-5))
        let inner = x.shape[2...].reduce(1, *)
        return Operation(shape: x.shape) { inputs in
            let (scale, shift, mean, variance) = (inputs[1], inputs[2], inputs[3], inputs[4])
            let s = (0..<channels).map { scale[$0] * (1 / (variance[$0] + epsilon).squareRoot()) }
            let t = (0..<channels).map { shift[$0] - mean[$0] * s[$0] }
            return inputs[0].indices.map { i in
                let c = (i / inner) % channels
                return inputs[0][i] * s[c] + t[c]
            }
        }
    }
}

/// Where an `m × k` matrix sits in a flat buffer: element `(i, l)` is at `offset + i·rowStride + l·columnStride`.
struct MatrixLayout {
    var offset: Int
    var rowStride: Int
    var columnStride: Int
}

/// A Float32 dot product accumulated as MLAS does: fused multiply-adds in order, in blocks of ``depth`` terms, each
/// block's sum (times `alpha`) added to the running total, which starts at the initial value (Gemm's `beta · C`).
struct BlockedDotProduct {
    /// MLAS's block along the reduced dimension.
    static let depth = 256
    private var total: Float
    private var partial: Float = 0
    private var count = 0
    private let alpha: Float

    init(initial: Float, alpha: Float = 1) {
        total = initial
        self.alpha = alpha
    }

    mutating func add(_ x: Float, _ y: Float) {
        partial = partial.addingProduct(x, y)
        count += 1
        if count == Self.depth { flush() }
    }

    private mutating func flush() {
        total += alpha == 1 ? partial : alpha * partial
        (partial, count) = (0, 0)
    }

    /// The sum so far.
    var value: Float {
        mutating get {
            if count > 0 { flush() }
            return total
        }
    }
}

extension GraphInterpreter.Builder {
    /// `y[at + i·n + j] ← y[…] + alpha · Σ_l A(i, l)·B(l, j)` for an `m × k` A and a `k × n` B.
    static func accumulateProduct(
        _ a: [Float], _ left: MatrixLayout, _ b: [Float], _ right: MatrixLayout, _ size: (m: Int, k: Int, n: Int),
        alpha: Float, into y: inout [Float], at offset: Int
    ) {
        for i in 0..<size.m {
            for j in 0..<size.n {
                var sum = BlockedDotProduct(initial: y[offset + i * size.n + j], alpha: alpha)
                let (aRow, bColumn) = (left.offset + i * left.rowStride, right.offset + j * right.columnStride)
                for l in 0..<size.k {
                    sum.add(a[aRow + l * left.columnStride], b[bColumn + l * right.rowStride])
                }
                y[offset + i * size.n + j] = sum.value
            }
        }
    }
}
