import Network
import Tensor

extension GraphImporter {
    /// Runs a shape rule, turning its ``ReasonError`` into an error of the node.
    func rule<T>(_ context: NodeContext, _ body: () throws(ReasonError) -> T) throws(ONNXError) -> T {
        do { return try body() } catch { throw error.invalid(context) }
    }

    /// Imports a node whose input at `position` is the end of the chain (`current`, of ONNX shape `shape`).
    mutating func importLayer(_ node: Onnx_NodeProto, dynamicPosition position: Int, _ attributes: NodeAttributes)
        throws(ONNXError)
    {
        let context = attributes.context
        let (name, op) = (context.name, context.op)
        if position != 0 && !["MatMul", "Add", "Sub", "Mul", "Div", "Concat"].contains(op) {
            throw context.unsupported("only the first input may be non-constant")
        }
        switch op {
        case "Relu": chain.append(.relu, producing: chain.currentShape, node: name, op: op)
        case "Sigmoid": chain.append(.sigmoid, producing: chain.currentShape, node: name, op: op)
        case "Tanh": chain.append(.tanh, producing: chain.currentShape, node: name, op: op)
        case "Softmax":
            let axis = try attributes.optionalInt("axis")
            let group = try rule(context) { () throws(ReasonError) in
                try ShapeRules.softmaxGroup(shape, axis: axis, opset: opset)
            }
            guard let size = group else {
                throw context.unsupported(ShapeRules.softmaxAxisRefusal(axis: axis, shape: shape))
            }
            chain.append(.softmax(Softmax(size: size)), producing: chain.currentShape, node: name, op: op)
        case "Identity", "Dropout": break
        case "Cast":
            let to = try attributes.int("to", default: 1)
            guard to == 1 || to == 11 else {
                throw context.unsupported(
                    "cast of the data to \(ConstantTensor.DataType.name(of: Int32(clamping: to)))")
            }
        case "Neg":
            let n = shape.reduce(1, *)
            chain.applyAffine(
                scale: Array(repeating: -1, count: n), shift: Array(repeating: 0, count: n), node: name, op: op)
        case "Flatten":
            let axis = try attributes.int("axis", default: 1)
            shape = try rule(context) { () throws(ReasonError) in try ShapeRules.flatten(shape, axis: axis) }
        case "Reshape":
            let spec = try reshapeSpec(node, attributes)
            let allowZero = try attributes.int("allowzero", default: 0) != 0
            shape = try rule(context) { () throws(ReasonError) in
                try ShapeRules.reshape(shape, to: spec, allowZero: allowZero)
            }
        case "Squeeze":
            let axes = try axes(node, attributes)
            shape = try rule(context) { () throws(ReasonError) in try ShapeRules.squeeze(shape, axes: axes) }
        case "Unsqueeze":
            guard let axes = try axes(node, attributes) else { throw context.invalid("missing axes") }
            shape = try rule(context) { () throws(ReasonError) in try ShapeRules.unsqueeze(shape, axes: axes) }
        case "Transpose":
            let attribute = try attributes.ints("perm")
            let perm = try rule(context) { () throws(ReasonError) in
                try ShapeRules.permutation(attribute, rank: shape.count)
            }
            let moved = perm.filter { shape[$0] != 1 }
            if moved == moved.sorted() {
                shape = perm.map { shape[$0] }  // only axes of size 1 move: the data keeps its order
            } else {
                try importTranspose(perm, context)
            }
        case "Slice", "Expand", "ReduceSum", "ReduceMean":
            try appendLinearMap(try linearMap(node, on: shape, attributes), context)
        case "Gather": try importGather(node, attributes)
        case "Concat": try importConcat(node, attributes)
        case "Gemm": try importGemm(node, attributes)
        case "MatMul": try importMatMul(node, dynamicPosition: position, attributes)
        case "Add", "Sub", "Mul", "Div": try importArithmetic(node, dynamicPosition: position, attributes)
        case "BatchNormalization": try importBatchNormalization(node, attributes)
        case "Conv": try importConv(node, attributes)
        case "ConvTranspose": try importConvTranspose(node, attributes)
        case "MaxPool", "AveragePool", "GlobalAveragePool": try importPool(node, attributes)
        default: throw context.unsupported("a non-constant input is not supported for \(op)")
        }
    }

    private mutating func importGemm(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        guard shape.count == 2 else { throw context.invalid("input A has shape \(shape); Gemm needs a matrix") }
        let transA = try attributes.int("transA", default: 0) != 0
        let transB = try attributes.int("transB", default: 0) != 0
        let (rows, k) = transA ? (shape[1], shape[0]) : (shape[0], shape[1])
        guard rows == 1 else { throw context.unsupported("input A holds a batch of \(rows) rows") }
        let b = try constantInput(node, 1, context, what: "weight B")
        guard b.shape.count == 2 else { throw context.invalid("weight B has shape \(b.shape); a matrix is needed") }
        let (bk, m) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard bk == k, m > 0 else {
            throw context.invalid("weight shape \(b.shape)\(transB ? " (transB)" : "") does not match input width \(k)")
        }
        let alpha = try attributes.float("alpha", default: 1)
        let beta = try attributes.float("beta", default: 1)
        var w = [Double](repeating: 0, count: m * k)
        for r in 0..<m {
            for c in 0..<k { w[r * k + c] = alpha * (transB ? b.values[r * k + c] : b.values[c * m + r]) }
        }
        var bias = [Double](repeating: 0, count: m)
        if let c = try optionalConstantInput(node, 2, context, what: "bias C") {
            guard let expanded = c.expanded(to: [1, m]) else {
                throw context.invalid("bias shape \(c.shape) does not broadcast to the output [1, \(m)]")
            }
            bias = expanded.map { beta * $0 }
        }
        shape = [1, m]
        appendDense(Matrix(rows: m, columns: k, storage: w), bias, context)
    }

    private mutating func appendDense(_ weights: Matrix, _ bias: [Double], _ context: NodeContext) {
        chain.append(
            .dense(Dense(weights: weights, bias: bias)), producing: [1, weights.rows], node: context.name,
            op: context.op)
    }

    private mutating func importMatMul(
        _ node: Onnx_NodeProto, dynamicPosition position: Int, _ attributes: NodeAttributes
    )
        throws(ONNXError)
    {
        let context = attributes.context
        let weight = try constantInput(node, 1 - position, context, what: "weight")
        guard let k = (position == 0 ? shape.last : (shape.count == 1 ? shape.first : shape.dropLast().last)) else {
            throw context.invalid("MatMul of a scalar")
        }
        if position == 0 {  // x · W
            let leading = Array(shape.dropLast())
            guard leading.reduce(1, *) == 1 else {
                throw context.unsupported("batched MatMul over the leading dimensions \(leading)")
            }
            guard weight.shape.count == 2 || weight.shape.count == 1, weight.shape[0] == k, weight.count > 0 else {
                throw context.invalid("weight shape \(weight.shape) does not match input width \(k)")
            }
            let m = weight.shape.count == 2 ? weight.shape[1] : 1
            var w = [Double](repeating: 0, count: m * k)
            for r in 0..<m { for c in 0..<k { w[r * k + c] = weight.values[c * m + r] } }
            shape = weight.shape.count == 2 ? leading + [m] : leading
            appendDense(Matrix(rows: m, columns: k, storage: w), Array(repeating: 0, count: m), context)
        } else {  // W · x, x a vector [k] or a column [..., k, 1]
            guard weight.shape.count == 2 else {
                throw context.unsupported("a constant left operand of rank \(weight.shape.count)")
            }
            guard weight.shape[1] == k, weight.shape[0] > 0 else {
                throw context.invalid("weight shape \(weight.shape) does not match input height \(k)")
            }
            let m = weight.shape[0]
            if shape.count == 1 {
                shape = [m]
            } else {
                let leading = Array(shape.dropLast(2))
                guard shape.last == 1, leading.reduce(1, *) == 1 else {
                    throw context.unsupported("W · X with X of shape \(shape) (only a vector or a single column)")
                }
                shape = leading + [m, 1]
            }
            appendDense(Matrix(rows: m, columns: k, storage: weight.values), Array(repeating: 0, count: m), context)
        }
    }

    private mutating func importArithmetic(
        _ node: Onnx_NodeProto, dynamicPosition position: Int, _ attributes: NodeAttributes
    )
        throws(ONNXError)
    {
        let context = attributes.context
        let constant = try constantInput(node, 1 - position, context, what: "constant operand")
        guard let result = ConstantTensor.broadcastShape(shape, constant.shape), let v = constant.expanded(to: result)
        else {
            throw context.invalid("constant shape \(constant.shape) does not broadcast with input shape \(shape)")
        }
        let n = result.reduce(1, *)
        let ones = [Double](repeating: 1, count: n), zeros = [Double](repeating: 0, count: n)
        let (scale, shift): ([Double], [Double])
        switch (context.op, position) {
        case ("Add", _): (scale, shift) = (ones, v)
        case ("Sub", 0): (scale, shift) = (ones, v.map { -$0 })
        case ("Sub", _): (scale, shift) = (ones.map { -$0 }, v)
        case ("Mul", _): (scale, shift) = (v, zeros)
        case ("Div", 0):
            guard !v.contains(0) else { throw context.invalid("division by zero") }
            (scale, shift) = (v.map { 1 / $0 }, zeros)
        default: throw context.unsupported("division by a non-constant tensor")
        }
        guard n == shape.reduce(1, *) else {
            // Broadcasting repeats input elements ([2, 1] · [1, 2] → [2, 2]): an exact dense layer.
            try importExpandingAffine(result: result, scale: scale, shift: shift, context)
            return
        }
        shape = result
        chain.applyAffine(scale: scale, shift: shift, node: context.name, op: context.op)
    }

    private mutating func importBatchNormalization(_ node: Onnx_NodeProto, _ attributes: NodeAttributes)
        throws(ONNXError)
    {
        let context = attributes.context
        guard shape.count >= 2 else { throw context.invalid("input shape \(shape) has no channel axis") }
        guard try attributes.int("training_mode", default: 0) == 0 else { throw context.unsupported("training mode") }
        let channels = shape[1]
        var parameters: [[Double]] = []
        for (position, what) in [(1, "scale"), (2, "bias B"), (3, "mean"), (4, "variance")] {
            let p = try constantInput(node, position, context, what: what)
            guard p.count == channels else {
                throw context.invalid("\(what) has \(p.count) values for \(channels) channels")
            }
            parameters.append(p.values)
        }
        let epsilon = try attributes.float("epsilon", default: 1e-5)
        var s = [Double](repeating: 0, count: channels), t = s
        for c in 0..<channels {
            let denominator = parameters[3][c] + epsilon
            guard denominator > 0 else { throw context.invalid("variance + epsilon is not positive in channel \(c)") }
            s[c] = parameters[0][c] / denominator.squareRoot()
            t[c] = parameters[1][c] - parameters[2][c] * s[c]
        }
        let inner = shape[2...].reduce(1, *), n = shape.reduce(1, *)
        chain.applyAffine(
            scale: (0..<n).map { s[($0 / inner) % channels] }, shift: (0..<n).map { t[($0 / inner) % channels] },
            node: context.name, op: context.op)
    }
}
