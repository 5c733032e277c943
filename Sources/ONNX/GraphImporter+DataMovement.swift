import Network
import Tensor

/// One output element of a ``GraphImporter/LinearSelection``: `scale · x[source] + shift`, or the constant `shift`
/// when `source` is nil.
struct SelectedElement {
    var source: Int?
    var scale: Double = 1
    var shift: Double = 0
}

extension GraphImporter {
    /// Largest dense matrix (rows × columns) the importer builds for a data-moving operator: 2²² entries (32 MiB).
    static let maximumSelectionEntries = 1 << 22

    /// Appends the exact affine map `y_k = scale_k · x[source_k] + shift_k` from the current tensor to a tensor of
    /// ONNX shape `output`, as one dense layer (a 0/±scale selection matrix and a bias), and makes `output` the
    /// current shape. The operators that only move, copy, broadcast or append constants to the data (Gather,
    /// Concat with constants, broadcasting Add/Sub/Mul/Div, data-moving Transpose) are such maps.
    ///
    /// The identity map (every element from its own position, scale 1, shift 0) appends nothing.
    mutating func appendSelection(_ elements: [SelectedElement], output: [Int], _ context: NodeContext)
        throws(ONNXError)
    {
        let columns = shape.reduce(1, *)
        let isIdentity =
            elements.count == columns
            && elements.enumerated().allSatisfy { $0.element.source == $0.offset && $0.element.scale == 1 && $0.element.shift == 0 }
        if isIdentity {
            shape = output
            return
        }
        var weights = try denseStorage(rows: elements.count, columns: columns, context)
        var bias = [Double](repeating: 0, count: elements.count)
        for (r, e) in elements.enumerated() {
            if let source = e.source { weights[r * columns + source] = e.scale }
            bias[r] = e.shift
        }
        shape = output
        chain.append(
            .dense(Dense(weights: Matrix(rows: elements.count, columns: columns, storage: weights), bias: bias)),
            producing: [1, elements.count], node: context.name, op: context.op)
    }

    /// Zeroed storage of a `rows × columns` weight matrix; an empty output, or more than
    /// ``maximumSelectionEntries`` entries, is refused.
    func denseStorage(rows: Int, columns: Int, _ context: NodeContext) throws(ONNXError) -> [Double] {
        guard rows > 0 else { throw context.invalid("the output is empty") }
        let (entries, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, entries <= Self.maximumSelectionEntries else {
            throw context.unsupported(
                "mapping \(columns) input elements to \(rows) outputs needs a \(rows)×\(columns) matrix (at most \(Self.maximumSelectionEntries) entries)"
            )
        }
        return [Double](repeating: 0, count: entries)
    }

    /// The flat positions `0..<n` of the current tensor, as a constant of its shape (run through a shape operator,
    /// it tells where each output element comes from).
    var currentPositions: ConstantTensor {
        ConstantTensor(shape: shape, values: (0..<shape.reduce(1, *)).map(Double.init))
    }

    /// `Gather` of the data at constant indices: a selection.
    mutating func importGather(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        let indices = try constantInput(node, 1, context, what: "indices")
        let gathered = try gather(currentPositions, indices, attributes)
        try appendSelection(gathered.values.map { SelectedElement(source: Int($0)) }, output: gathered.shape, context)
    }

    /// `Concat` of the data (at one or more positions) with constants: each output element is a data element or a
    /// constant.
    mutating func importConcat(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) {
        let context = attributes.context
        var sources: [ConstantTensor] = [], values: [ConstantTensor] = []
        for (position, name) in node.input.enumerated() {
            if name == current {
                let positions = currentPositions
                sources.append(positions)
                values.append(ConstantTensor(shape: shape, values: Array(repeating: 0, count: positions.count)))
            } else {
                let part = try constantInput(node, position, context, what: "input")
                sources.append(ConstantTensor(shape: part.shape, values: Array(repeating: -1, count: part.count)))
                values.append(part)
            }
        }
        let source = try concatenate(sources, attributes), value = try concatenate(values, attributes)
        let elements = zip(source.values, value.values).map { s, v in
            s < 0 ? SelectedElement(source: nil, shift: v) : SelectedElement(source: Int(s))
        }
        try appendSelection(elements, output: source.shape, context)
    }

    /// `Transpose` that reorders the data: a permutation.
    mutating func importTranspose(_ perm: [Int], _ context: NodeContext) throws(ONNXError) {
        let moved = currentPositions.transposed(perm)
        try appendSelection(moved.values.map { SelectedElement(source: Int($0)) }, output: moved.shape, context)
    }

    /// Elementwise `scale ⊙ x + shift` on the broadcast shape `result` of the current tensor and a constant, when
    /// broadcasting repeats input elements (`x` of shape `[2, 1]` times a constant `[1, 2]`).
    mutating func importExpandingAffine(
        result: [Int], scale: [Double], shift: [Double], _ context: NodeContext
    ) throws(ONNXError) {
        guard let sources = currentPositions.expanded(to: result) else {
            throw context.invalid("input shape \(shape) does not broadcast to \(result)")
        }
        let elements = sources.indices.map { k in
            SelectedElement(source: Int(sources[k]), scale: scale[k], shift: shift[k])
        }
        try appendSelection(elements, output: result, context)
    }

    /// Makes the graph's constant output the network's output: a dense layer with zero weights and the constant
    /// as its bias (the output does not depend on the input, e.g. `Shape` of the input).
    mutating func importConstantOutput(_ value: ConstantTensor, _ context: NodeContext) throws(ONNXError) {
        guard !value.shape.isEmpty else {
            try appendSelection([SelectedElement(source: nil, shift: value.values[0])], output: [1], context)
            return
        }
        try appendSelection(value.values.map { SelectedElement(source: nil, shift: $0) }, output: value.shape, context)
    }
}
