import Network
import Tensor

extension GraphImporter {
    /// The ``LinearMap`` of a Slice, Expand, ReduceSum or ReduceMean node on a tensor of `shape` (parameters
    /// constant: inputs from opset 10/13/18 on, attributes before).
    func linearMap(_ node: Onnx_NodeProto, on shape: [Int], _ attributes: NodeAttributes) throws(ONNXError)
        -> LinearMap
    {
        let context = attributes.context
        switch context.op {
        case "Expand":
            let target = try integers(try constantInput(node, 1, context, what: "shape"), context, what: "shape")
            return try rule(context) { () throws(ReasonError) in try LinearMap.expand(shape, to: target) }
        case "Slice":
            return try slice(node, on: shape, attributes)
        case "ReduceSum", "ReduceMean":
            return try reduction(node, on: shape, attributes)
        default:
            throw context.unsupported("\(context.op) is not a linear map")
        }
    }

    /// Integer values clamped to ±2⁵³ (Slice's `ends` is often INT64_MAX, "to the end").
    private func clampedIntegers(_ values: [Double], _ context: NodeContext, what: String) throws(ONNXError) -> [Int] {
        var result: [Int] = []
        for v in values {
            guard v == v.rounded() else { throw context.invalid("\(what) holds non-integer values") }
            result.append(Int(min(max(v, -0x1p53), 0x1p53)))
        }
        return result
    }

    /// A Slice parameter: the constant input at `position` (opset ≥ 10) or the attribute `name`; nil when absent.
    private func sliceParameter(
        _ node: Onnx_NodeProto, _ position: Int, _ name: String, _ attributes: NodeAttributes
    ) throws(ONNXError) -> [Int]? {
        if opset >= 10 {
            guard let t = try optionalConstantInput(node, position, attributes.context, what: name) else { return nil }
            return try clampedIntegers(t.values, attributes.context, what: name)
        }
        guard let a = attributes.attribute(name) else { return nil }
        return try clampedIntegers(a.ints.map(Double.init), attributes.context, what: name)
    }

    private func slice(_ node: Onnx_NodeProto, on shape: [Int], _ attributes: NodeAttributes) throws(ONNXError)
        -> LinearMap
    {
        let context = attributes.context
        guard let starts = try sliceParameter(node, 1, "starts", attributes),
            let ends = try sliceParameter(node, 2, "ends", attributes)
        else { throw context.invalid("missing starts or ends") }
        let axes = try sliceParameter(node, 3, "axes", attributes) ?? Array(0..<starts.count)
        let steps = try sliceParameter(node, 4, "steps", attributes) ?? Array(repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw context.invalid("starts, ends, axes and steps have different lengths")
        }
        var indices = shape.map { Array(0..<$0) }
        var seen = Set<Int>()
        for k in starts.indices {
            let requested = axes[k]
            let axis = try rule(context) { () throws(ReasonError) in try ShapeRules.axis(requested, rank: shape.count) }
            guard seen.insert(axis).inserted else { throw context.invalid("axis \(requested) is repeated") }
            let (size, start, end, step) = (shape[axis], starts[k], ends[k], steps[k])
            indices[axis] = try rule(context) { () throws(ReasonError) in
                try LinearMap.sliceIndices(size: size, start: start, end: end, step: step)
            }
        }
        return try rule(context) { () throws(ReasonError) in try LinearMap.select(shape, indices: indices) }
    }

    private func reduction(_ node: Onnx_NodeProto, on shape: [Int], _ attributes: NodeAttributes)
        throws(ONNXError) -> LinearMap
    {
        let context = attributes.context
        let keep = try attributes.int("keepdims", default: 1) != 0
        let noop = try attributes.int("noop_with_empty_axes", default: 0) != 0
        var requested = try attributes.ints("axes")
        if requested == nil, let t = try optionalConstantInput(node, 1, context, what: "axes") {
            requested = try integers(t, context, what: "axes")
        }
        let list = requested ?? []
        if list.isEmpty && noop {
            return LinearMap(shape: shape, sources: Array(0..<shape.reduce(1, *)))
        }
        var axes = Set<Int>()
        for a in list {
            axes.insert(try rule(context) { () throws(ReasonError) in try ShapeRules.axis(a, rank: shape.count) })
        }
        if list.isEmpty { axes = Set(shape.indices) }
        let mean = context.op == "ReduceMean"
        return try rule(context) { () throws(ReasonError) in
            try LinearMap.reduce(shape, axes: axes, keepDimensions: keep, mean: mean)
        }
    }

    /// The map of each output of a Split node on a tensor of `shape`, in output order: sizes from the `split`
    /// input (opset ≥ 13) or attribute, else equal parts (the last one smaller from opset 18, `num_outputs`).
    func splitMaps(_ node: Onnx_NodeProto, on shape: [Int], _ attributes: NodeAttributes) throws(ONNXError)
        -> [LinearMap]
    {
        let context = attributes.context
        let requested = try attributes.int("axis", default: 0)
        let axis = try rule(context) { () throws(ReasonError) in try ShapeRules.axis(requested, rank: shape.count) }
        var sizes = try attributes.ints("split")
        if sizes == nil, let t = try optionalConstantInput(node, 1, context, what: "split") {
            sizes = try integers(t, context, what: "split")
        }
        let outputs = node.output.count, d = shape[axis]
        if sizes == nil {
            let parts = try attributes.int("num_outputs", default: outputs)
            guard parts == outputs, parts > 0 else {
                throw context.invalid("num_outputs \(parts) for \(outputs) outputs")
            }
            let chunk = (d + parts - 1) / parts
            sizes = (0..<parts).map { min(chunk, max(d - $0 * chunk, 0)) }
        }
        guard let sizes, sizes.count == outputs, sizes.allSatisfy({ $0 > 0 }), sizes.reduce(0, +) == d else {
            throw context.invalid("split sizes \(sizes ?? []) do not divide dimension \(d) into \(outputs) parts")
        }
        var maps: [LinearMap] = []
        var offset = 0
        for size in sizes {
            var indices = shape.map { Array(0..<$0) }
            indices[axis] = Array(offset..<(offset + size))
            maps.append(try rule(context) { () throws(ReasonError) in try LinearMap.select(shape, indices: indices) })
            offset += size
        }
        return maps
    }

    /// Appends `map` from the current tensor as an exact dense layer (weights 1 or `1/divisor`), or only changes
    /// the shape when it is the identity.
    mutating func appendLinearMap(_ map: LinearMap, _ context: NodeContext) throws(ONNXError) {
        let columns = shape.reduce(1, *)
        if map.isIdentity(count: columns) {
            shape = map.shape
            return
        }
        let rows = map.count
        var weights = try denseStorage(rows: rows, columns: columns, context)
        let w = 1 / Double(map.divisor)
        for r in 0..<rows {
            for t in 0..<map.termsPerRow { weights[r * columns + map.sources[r * map.termsPerRow + t]] += w }
        }
        shape = map.shape
        chain.append(
            .dense(
                Dense(
                    weights: Matrix(rows: rows, columns: columns, storage: weights),
                    bias: Array(repeating: 0, count: rows))),
            producing: [1, rows], node: context.name, op: context.op)
    }

    /// A Split whose outputs are not yet used: the chain follows the first output a later node (or the graph
    /// output) reads, which must be read from the chain's current tensor.
    struct PendingSplit {
        /// The tensor that was split (the chain's current tensor then).
        var source: String
        var map: LinearMap
        var context: NodeContext
    }

    /// Moves the chain to the split output `name` when it is a pending output of the current tensor.
    mutating func takePendingSplit(_ name: String) throws(ONNXError) {
        guard name != current, let pending = pendingSplits[name], pending.source == current else { return }
        try appendLinearMap(pending.map, pending.context)
        current = name
        chain.conform(to: shape, node: pending.context.name, op: pending.context.op)
    }
}
