import Network

/// Walks an ONNX graph node by node, folding constants and turning the single chain from the input to the output
/// into ``Layer``s. One instance imports one model.
struct GraphImporter {
    let file: String
    /// Opset version of the default domain.
    let opset: Int
    /// Initializers and folded constants, by tensor name.
    var constants: [String: ConstantTensor] = [:]
    /// ONNX shapes of the non-constant tensors seen so far.
    var dynamicShapes: [String: [Int]] = [:]
    /// The non-constant tensor at the end of the chain so far.
    var current: String
    /// Its ONNX shape.
    var shape: [Int]
    var chain: LayerChain
    /// Outputs of Split nodes of the chain's tensor, until one is read.
    var pendingSplits: [String: PendingSplit] = [:]
    /// Tensors whose values are wanted (hidden nodes of a query), and for each one reached, the number of layers
    /// whose output it is (the chain is frozen there, ``LayerChain/freeze()``).
    var tapNames: Set<String> = []
    var taps: [String: Int] = [:]
    private let graph: Onnx_GraphProto

    init(model: Onnx_ModelProto, file: String) throws(ONNXError) {
        self.file = file
        guard model.hasGraph else { throw .malformed(file: file, reason: "the model has no graph") }
        graph = model.graph
        let defaultDomain = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        opset = Int(clamping: defaultDomain?.version ?? 1)
        guard ONNXImporter.supportedOpsets.contains(opset) else { throw .unsupportedOpset(file: file, version: opset) }

        var table: [String: ConstantTensor] = [:]
        for tensor in graph.initializer {
            guard table[tensor.name] == nil else {
                throw .invalidTensor(file: file, name: tensor.name, reason: "initializer is defined twice")
            }
            do {
                table[tensor.name] = try ConstantTensor(proto: tensor)
            } catch {
                throw .invalidTensor(file: file, name: tensor.name, reason: error.reason)
            }
        }
        // Old IR versions also list initializers as graph inputs: the real input is the one without an initializer.
        let inputs = graph.input.filter { table[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw .invalidGraph(
                file: file,
                reason:
                    "the graph has \(inputs.count) non-constant inputs \(inputs.map(\.name)); exactly one is supported")
        }
        shape = try Self.inputShape(input, file: file)
        constants = table
        current = input.name
        dynamicShapes[input.name] = shape
        chain = LayerChain(inputShape: shape)
    }

    /// The declared shape of the graph input; a symbolic or missing leading (batch) dimension reads as 1.
    private static func inputShape(_ input: Onnx_ValueInfoProto, file: String) throws(ONNXError) -> [Int] {
        guard case let .tensorType(tensor)? = input.type.value else {
            throw .invalidGraph(file: file, reason: "input '\(input.name)' is not a tensor")
        }
        guard tensor.elemType == 1 || tensor.elemType == 11 else {
            throw .invalidGraph(
                file: file,
                reason:
                    "input '\(input.name)' has element type \(ConstantTensor.DataType.name(of: tensor.elemType)); FLOAT or DOUBLE expected"
            )
        }
        guard tensor.hasShape else { throw .invalidGraph(file: file, reason: "input '\(input.name)' has no shape") }
        var shape: [Int] = []
        for (k, dim) in tensor.shape.dim.enumerated() {
            if case let .dimValue(v)? = dim.value, v > 0, v <= Int64(ConstantTensor.maximumElementCount) {
                shape.append(Int(v))
            } else if k == 0, !(dim.value.map { if case .dimValue = $0 { true } else { false } } ?? false) {
                shape.append(1)  // symbolic or unset batch dimension
            } else {
                throw .invalidGraph(
                    file: file, reason: "input '\(input.name)' dimension \(k) is not a positive constant")
            }
        }
        guard ConstantTensor.elementCount(shape) != nil else {
            throw .invalidGraph(file: file, reason: "input '\(input.name)' shape \(shape) is too large")
        }
        return shape
    }

    /// Imports every node and builds the network.
    mutating func run() throws(ONNXError) -> Network {
        for (index, node) in graph.node.enumerated() {
            try importNode(node, index: index)
        }
        guard graph.output.count == 1, let output = graph.output.first else {
            throw .invalidGraph(
                file: file, reason: "the graph has \(graph.output.count) outputs; exactly one is supported")
        }
        try takePendingSplit(output.name)
        if output.name != current, let value = constants[output.name] {
            // An output that does not depend on the input (`Shape` of the input, say) is still a function of it.
            let context = NodeContext(file: file, name: output.name, op: "graph output")
            try importConstantOutput(value, context)
            current = output.name
            chain.conform(to: shape, node: context.name, op: context.op)
        }
        guard output.name == current else {
            throw .invalidGraph(
                file: file,
                reason:
                    "output '\(output.name)' is not the end of the chain from the input (which ends at '\(current)')")
        }
        let inputName = graph.input.first { constants[$0.name] == nil }?.name ?? "input"
        do {
            return try Network(
                inputShape: chain.inputShape, layers: chain.layers, inputName: inputName, outputName: output.name)
        } catch let error as NetworkError {
            throw mapNetworkError(error)
        } catch {
            throw .invalidGraph(file: file, reason: "\(error)")
        }
    }

    private func mapNetworkError(_ error: NetworkError) -> ONNXError {
        let layer: Int? =
            switch error {
            case let .shapeMismatch(layer, _, _), let .nonFiniteParameter(layer, _): layer
            case let .invalidShape(layer, _, _): layer
            case .invalidInput, .invalidInputClamp: nil
            }
        guard let layer, chain.origins.indices.contains(layer) else {
            return .invalidGraph(file: file, reason: "\(error)")
        }
        let origin = chain.origins[layer]
        return .invalidNode(file: file, node: origin.node, op: origin.op, reason: "\(error)")
    }

    private mutating func importNode(_ node: Onnx_NodeProto, index: Int) throws(ONNXError) {
        let context = NodeContext(file: file, name: node.name.isEmpty ? "#\(index)" : node.name, op: node.opType)
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw .unsupportedOperator(file: file, node: context.name, op: "\(node.domain).\(node.opType)")
        }
        guard ONNXImporter.supportedOperators.contains(node.opType) else {
            throw .unsupportedOperator(file: file, node: context.name, op: node.opType)
        }
        guard let output = node.output.first, !output.isEmpty else { throw context.invalid("the node has no output") }
        for name in node.output where !name.isEmpty && (constants[name] != nil || dynamicShapes[name] != nil) {
            throw context.invalid("output '\(name)' is already defined")
        }
        var dynamicInputs: [(position: Int, name: String)] = []
        for (position, name) in node.input.enumerated() where !name.isEmpty && constants[name] == nil {
            guard dynamicShapes[name] != nil else {
                throw context.invalid(
                    "input '\(name)' is neither a graph input, an initializer nor an earlier node's output")
            }
            dynamicInputs.append((position, name))
        }
        let attributes = NodeAttributes(node, context: context)
        if node.opType == "Shape", let input = dynamicInputs.first, let inputShape = dynamicShapes[input.name] {
            // The shape of a non-constant tensor is known statically: a constant, and the chain does not move.
            constants[output] = try Self.shapeSlice(inputShape, attributes)
            return
        }
        if node.opType == "Split" {
            try importSplit(node, dynamicInputs.map(\.name), attributes)
            return
        }
        if dynamicInputs.isEmpty {
            constants[output] = try foldConstant(node, attributes)
            return
        }
        if let first = dynamicInputs.first { try takePendingSplit(first.name) }
        // Concat may repeat the chain's tensor (`Concat(x, c, x)`): every copy is the same input.
        guard let input = dynamicInputs.first,
            dynamicInputs.count == 1 || (node.opType == "Concat" && dynamicInputs.allSatisfy { $0.name == input.name })
        else {
            throw context.notAChain("\(dynamicInputs.count) non-constant inputs \(dynamicInputs.map(\.name))")
        }
        guard input.name == current else {
            throw context.notAChain("input '\(input.name)' is also used by another node (the graph branches)")
        }
        try importLayer(node, dynamicPosition: input.position, attributes)
        guard ConstantTensor.elementCount(shape) != nil else {
            throw context.invalid("output shape \(shape) is too large")
        }
        current = output
        dynamicShapes[output] = shape
        chain.conform(to: shape, node: context.name, op: context.op)
        tap(output)
    }

    /// Records `name` as the output of the chain so far when it is a wanted tensor, and freezes the chain there.
    mutating func tap(_ name: String) {
        guard tapNames.contains(name) else { return }
        taps[name] = chain.layers.count
        chain.freeze()
    }

    /// `Split`: of a constant, every output is folded; of the chain's tensor, every output becomes a pending
    /// ``PendingSplit`` (the chain follows the one that is read).
    private mutating func importSplit(_ node: Onnx_NodeProto, _ dynamicInputs: [String], _ attributes: NodeAttributes)
        throws(ONNXError)
    {
        let context = attributes.context
        guard let input = dynamicInputs.first else {
            let x = try constantInput(node, 0, context, what: "input")
            for (name, map) in zip(node.output, try splitMaps(node, on: x.shape, attributes)) where !name.isEmpty {
                constants[name] = ConstantTensor(shape: map.shape, values: map.apply(x.values))
            }
            return
        }
        try takePendingSplit(input)
        guard dynamicInputs.count == 1, input == current else {
            throw context.notAChain("input '\(input)' is also used by another node (the graph branches)")
        }
        for (name, map) in zip(node.output, try splitMaps(node, on: shape, attributes)) where !name.isEmpty {
            pendingSplits[name] = PendingSplit(source: current, map: map, context: context)
            dynamicShapes[name] = map.shape
        }
    }

    /// ONNX `Shape` (with opset-15 `start`/`end`) of a statically known shape.
    static func shapeSlice(_ shape: [Int], _ attributes: NodeAttributes) throws(ONNXError) -> ConstantTensor {
        let rank = shape.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let start = clamp(try attributes.int("start", default: 0))
        let end = clamp(try attributes.int("end", default: rank))
        let dims = start < end ? Array(shape[start..<end]) : []
        return ConstantTensor(shape: [dims.count], values: dims.map(Double.init))
    }

    /// The constant at input `position`, or an error naming the node.
    func constantInput(_ node: Onnx_NodeProto, _ position: Int, _ context: NodeContext, what: String) throws(ONNXError)
        -> ConstantTensor
    {
        guard position < node.input.count, !node.input[position].isEmpty else {
            throw context.invalid("missing \(what) (input \(position))")
        }
        guard let value = constants[node.input[position]] else {
            throw context.unsupported("\(what) '\(node.input[position])' is not a constant")
        }
        return value
    }

    /// The optional constant at input `position` (`nil` when absent).
    func optionalConstantInput(_ node: Onnx_NodeProto, _ position: Int, _ context: NodeContext, what: String)
        throws(ONNXError) -> ConstantTensor?
    {
        guard position < node.input.count, !node.input[position].isEmpty else { return nil }
        return try constantInput(node, position, context, what: what)
    }

    /// Integer values of a constant (shape, axes), or an error naming the node.
    func integers(_ tensor: ConstantTensor, _ context: NodeContext, what: String) throws(ONNXError) -> [Int] {
        guard let values = tensor.integers,
            values.allSatisfy({ abs($0) <= Int(NodeAttributes.maximumIntegerMagnitude) })
        else { throw context.invalid("\(what) holds non-integer or out-of-range values") }
        return values
    }

    /// Squeeze/Unsqueeze axes: the `axes` attribute (opset < 13) or the constant second input (opset ≥ 13).
    func axes(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) -> [Int]? {
        if let axes = try attributes.ints("axes") { return axes }
        guard let tensor = try optionalConstantInput(node, 1, attributes.context, what: "axes") else { return nil }
        return try integers(tensor, attributes.context, what: "axes")
    }

    /// The target of `Reshape`: the constant second input (opset ≥ 5) or the `shape` attribute (opset < 5).
    func reshapeSpec(_ node: Onnx_NodeProto, _ attributes: NodeAttributes) throws(ONNXError) -> [Int] {
        if let spec = try optionalConstantInput(node, 1, attributes.context, what: "shape") {
            return try integers(spec, attributes.context, what: "shape")
        }
        guard let spec = try attributes.ints("shape") else { throw attributes.context.invalid("missing target shape") }
        return spec
    }
}

extension ReasonError {
    /// This reason as an error of `context`'s node.
    func invalid(_ context: NodeContext) -> ONNXError { context.invalid(reason) }
}
