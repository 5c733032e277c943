import Foundation

extension GraphImporter {
    /// Evaluates a node whose inputs are all constant (shape arithmetic, weight preprocessing, `Constant`).
    func foldConstant(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) -> ConstantTensor {
        let context = attributes.context
        func input(_ k: Int) throws(ONNXError) -> ConstantTensor { try constantInput(node, k, context, what: "input") }
        switch context.op {
        case "Constant":
            return try constantAttribute(node, attributes)
        case "Identity", "Dropout":
            return try input(0)
        case "Cast":
            let x = try input(0)
            switch try attributes.int("to", default: 1) {
            case 1, 11: return x
            case 6, 7: return ConstantTensor(shape: x.shape, values: x.values.map { $0.rounded(.towardZero) })
            case let to: throw context.unsupported("cast to \(ConstantTensor.DataType.name(of: Int32(clamping: to)))")
            }
        case "Reshape":
            let x = try input(0)
            let spec = try reshapeSpec(node, attributes)
            let allowZero = try attributes.int("allowzero", default: 0) != 0
            let shape = try rule(context) { () throws(ReasonError) in
                try ShapeRules.reshape(x.shape, to: spec, allowZero: allowZero)
            }
            return ConstantTensor(shape: shape, values: x.values)
        case "Flatten":
            let x = try input(0)
            let axis = try attributes.int("axis", default: 1)
            return ConstantTensor(
                shape: try rule(context) { () throws(ReasonError) in try ShapeRules.flatten(x.shape, axis: axis) },
                values: x.values)
        case "Squeeze":
            let x = try input(0)
            let axes = try axes(node, attributes)
            return ConstantTensor(
                shape: try rule(context) { () throws(ReasonError) in try ShapeRules.squeeze(x.shape, axes: axes) },
                values: x.values)
        case "Unsqueeze":
            let x = try input(0)
            guard let axes = try axes(node, attributes) else { throw context.invalid("missing axes") }
            return ConstantTensor(
                shape: try rule(context) { () throws(ReasonError) in try ShapeRules.unsqueeze(x.shape, axes: axes) },
                values: x.values)
        case "Transpose":
            let x = try input(0)
            let attribute = try attributes.ints("perm")
            return x.transposed(
                try rule(context) { () throws(ReasonError) in try ShapeRules.permutation(attribute, rank: x.shape.count)
                })
        case "Add", "Sub", "Mul", "Div":
            let (a, b) = (try input(0), try input(1))
            let op: (Double, Double) -> Double =
                switch context.op {
                case "Add": (+)
                case "Sub": (-)
                case "Mul": (*)
                default: (/)
                }
            guard let result = ConstantTensor.broadcasting(a, b, op) else {
                throw context.invalid("shapes \(a.shape) and \(b.shape) do not broadcast")
            }
            guard result.values.allSatisfy(\.isFinite) else { throw context.invalid("the result is NaN or infinite") }
            return result
        case "Neg", "Relu", "Sigmoid", "Tanh":
            let x = try input(0)
            let f: (Double) -> Double =
                switch context.op {
                case "Neg": { -$0 }
                case "Relu": { max($0, 0) }
                case "Sigmoid": { 1 / (1 + exp(-$0)) }
                default: { tanh($0) }
                }
            return ConstantTensor(shape: x.shape, values: x.values.map(f))
        case "Shape":
            return try Self.shapeSlice(try input(0).shape, attributes)
        case "Concat":
            return try concat(node, attributes)
        case "Gather":
            return try gather(try input(0), try input(1), attributes)
        case "Slice", "Expand", "ReduceSum", "ReduceMean":
            let x = try input(0)
            let map = try linearMap(node, on: x.shape, attributes)
            return ConstantTensor(shape: map.shape, values: map.apply(x.values))
        case "ConstantOfShape":
            let dims = try integers(try input(0), context, what: "shape")
            guard let n = ConstantTensor.elementCount(dims) else {
                throw context.invalid("shape \(dims) is invalid or too large")
            }
            var fill = 0.0
            if let a = attributes.attribute("value") {
                let value: ConstantTensor
                do { value = try ConstantTensor(proto: a.t) } catch {
                    throw .invalidTensor(file: file, name: node.output[0], reason: error.reason)
                }
                guard value.count == 1 else { throw context.invalid("value holds \(value.count) elements, not one") }
                fill = value.values[0]
            }
            return ConstantTensor(shape: dims, values: Array(repeating: fill, count: n))
        default:
            throw context.unsupported("all inputs are constant and \(context.op) is not folded")
        }
    }

    private func constantAttribute(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError)
        -> ConstantTensor
    {
        if let a = attributes.attribute("value") {
            do { return try ConstantTensor(proto: a.t) } catch {
                throw .invalidTensor(file: file, name: node.output[0], reason: error.reason)
            }
        }
        if let a = attributes.attribute("value_float") {
            guard a.f.isFinite else { throw attributes.context.invalid("value_float is NaN or infinite") }
            return ConstantTensor(scalar: Double(a.f))
        }
        if let a = attributes.attribute("value_floats") {
            guard a.floats.allSatisfy(\.isFinite) else {
                throw attributes.context.invalid("value_floats holds NaN or infinity")
            }
            return ConstantTensor(shape: [a.floats.count], values: a.floats.map(Double.init))
        }
        if let a = attributes.attribute("value_int") { return ConstantTensor(scalar: Double(a.i)) }
        if let a = attributes.attribute("value_ints") {
            return ConstantTensor(shape: [a.ints.count], values: a.ints.map(Double.init))
        }
        throw attributes.context.unsupported("a Constant without a numeric value")
    }

    private func concat(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) -> ConstantTensor {
        var parts: [ConstantTensor] = []
        for k in node.input.indices { parts.append(try constantInput(node, k, attributes.context, what: "input")) }
        return try concatenate(parts, attributes)
    }

    /// ONNX `Concat` of `parts` along the node's `axis`.
    func concatenate(_ parts: [ConstantTensor], _ attributes: NodeAttributes) throws(ONNXError) -> ConstantTensor {
        let context = attributes.context
        guard let first = parts.first else { throw context.invalid("no inputs") }
        let rank = first.shape.count
        let requested = try attributes.int("axis", default: 0)
        let axis = try rule(context) { () throws(ReasonError) in try ShapeRules.axis(requested, rank: rank) }
        for p in parts
        where p.shape.count != rank || (0..<rank).contains(where: { $0 != axis && p.shape[$0] != first.shape[$0] }) {
            throw context.invalid("input shapes \(parts.map(\.shape)) do not concatenate on axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        var shape = first.shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        var values: [Double] = []
        for o in 0..<outer {
            for p in parts {
                let size = p.shape[axis] * inner
                values.append(contentsOf: p.values[(o * size)..<((o + 1) * size)])
            }
        }
        return ConstantTensor(shape: shape, values: values)
    }

    func gather(_ data: ConstantTensor, _ indices: ConstantTensor, _ attributes: NodeAttributes)
        throws(ONNXError)
        -> ConstantTensor
    {
        let context = attributes.context
        let requested = try attributes.int("axis", default: 0)
        let axis = try rule(context) { () throws(ReasonError) in try ShapeRules.axis(requested, rank: data.shape.count)
        }
        let n = data.shape[axis]
        let positions = try integers(indices, context, what: "indices")
        guard positions.allSatisfy({ $0 >= -n && $0 < n }) else {
            throw context.invalid("indices out of range for size \(n)")
        }
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        guard ConstantTensor.elementCount(shape) != nil else {
            throw context.invalid("result shape \(shape) is too large")
        }
        let outer = data.shape[..<axis].reduce(1, *), inner = data.shape[(axis + 1)...].reduce(1, *)
        var values: [Double] = []
        for o in 0..<outer {
            for i in positions {
                let start = (o * n + (i < 0 ? i + n : i)) * inner
                values.append(contentsOf: data.values[start..<(start + inner)])
            }
        }
        return ConstantTensor(shape: shape, values: values)
    }
}
