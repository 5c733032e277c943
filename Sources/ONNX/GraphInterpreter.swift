public import Foundation
public import Network

/// Executes an ONNX graph as it is stored, node by node in Float32, the way ONNX Runtime computes it: the
/// independent replay of a counterexample (``ReferenceEvaluator``), which shares no arithmetic with the folded
/// ``Network`` that ``ONNXImporter`` builds from the same file.
///
/// Every operator keeps its own rounding: `Div` divides (it is not a multiplication by `1/v`), `BatchNormalization`
/// runs on its own tensor, Gemm/MatMul/Conv accumulate their dot products in Float32 with fused multiply-adds in
/// blocks of 256 along the reduced axis (MLAS's order for single-row Gemm/MatMul: bit for bit on every dense
/// reference network; MLAS picks a convolution's block from its thread partition, so a Conv can be an ulp off,
/// as can Sigmoid and Tanh, which MLAS approximates). Nodes whose inputs are all constant are computed once, in
/// Float32, at construction (as ONNX Runtime's constant folding does). Integer parameters (Reshape's shape, axes,
/// Gather's indices) are read exactly, through the importer's constant folding.
///
/// The graph may be any DAG of the operators in ``ONNXImporter/supportedOperators`` in topological order (the
/// order the ONNX format requires), with one non-constant input and one output. Attributes are read as the
/// importer reads them (1-D and 2-D convolution and transposed convolution of any group, pooling, `ceil_mode`,
/// dilated MaxPool), but computed independently: a grouped convolution group by group (the importer holds it as
/// one dense convolution), a transposed one by scattering each input (the importer holds it as a convolution's
/// adjoint). Everything is checked and every shape is inferred at construction, so ``evaluate(_:)`` cannot fail on shapes. Limitation: all arithmetic
/// is Float32, also for a DOUBLE input or initializer (ONNX Runtime would then compute in Float64).
public struct GraphInterpreter: ReferenceEvaluator {
    /// Shape of the graph input (a symbolic batch dimension reads as 1).
    public let inputShape: [Int]
    /// Shape of the graph output.
    public let outputShape: [Int]
    /// The nodes that depend on the input, in execution order.
    let steps: [Step]
    /// The value of every tensor slot before a run: constants filled in, the others empty.
    let initialValues: [[Float]]
    let inputSlot: Int
    let outputSlot: Int
    /// Slots of the tensors ``evaluateWithTaps(_:)`` appends (a query's hidden nodes).
    let tapSlots: [Int]

    /// Reads the ONNX file at `path`.
    /// - Throws: ``ONNXError`` when the file is unreadable or the graph holds anything the interpreter cannot run.
    public init(path: String) throws(ONNXError) {
        try self.init(data: try ONNXImporter.contents(of: path), fileName: path)
    }

    /// Decodes a serialized ONNX `ModelProto`; `fileName` is used in error messages.
    public init(data: Data, fileName: String = "<memory>") throws(ONNXError) {
        try self.init(model: try ONNXImporter.model(from: data, fileName: fileName), file: fileName)
    }

    /// Compiles a decoded model (the same `ModelProto` the importer reads); `tapping` names tensors whose values
    /// ``evaluateWithTaps(_:)`` appends to the output.
    init(model: Onnx_ModelProto, file: String, tapping: [String] = []) throws(ONNXError) {
        var builder = try Builder(model: model, file: file)
        for (index, node) in model.graph.node.enumerated() {
            try builder.add(node, index: index)
        }
        let output = try builder.outputOperand(model.graph)
        inputShape = builder.inputShape
        outputShape = output.shape
        steps = builder.steps
        initialValues = builder.values
        inputSlot = 0
        outputSlot = output.slot
        var slots: [Int] = []
        for name in tapping {
            guard let operand = builder.operands[name] else {
                throw .invalidGraph(file: file, reason: "hidden node '\(name)' is not a tensor of the graph")
            }
            slots.append(operand.slot)
        }
        tapSlots = slots
    }

    /// Number of input elements.
    public var inputCount: Int { inputShape.reduce(1, *) }
    /// Number of output elements.
    public var outputCount: Int { outputShape.reduce(1, *) }

    /// The graph output at `input` (flat, row-major), computed in Float32 node by node; nil when `input` does not
    /// have ``inputCount`` elements or an output is NaN or infinite.
    public func evaluate(_ input: [Float]) -> [Float]? { run(input, appending: []) }

    /// The graph output followed by every tapped tensor's value (flat), in Float32 as ``evaluate(_:)``.
    public func evaluateWithTaps(_ input: [Float]) -> [Float]? { run(input, appending: tapSlots) }

    private func run(_ input: [Float], appending taps: [Int]) -> [Float]? {
        guard input.count == inputCount else { return nil }
        var values = initialValues
        values[inputSlot] = input
        for step in steps {
            values[step.output] = step.kernel(step.inputs.map { $0.map { values[$0] } ?? [] })
        }
        let output = ([outputSlot] + taps).flatMap { values[$0] }
        return output.allSatisfy(\.isFinite) ? output : nil
    }
}

/// A node's computation: flat Float32 input values (by input position; `[]` for an absent optional input) to the
/// flat output. Shapes are fixed when the kernel is built.
typealias Kernel = @Sendable (_ inputs: [[Float]]) -> [Float]

/// One node to run on every evaluation.
struct Step: Sendable {
    /// The slot of each input position, nil for an absent optional input.
    let inputs: [Int?]
    let output: Int
    let kernel: Kernel
}

/// A tensor while the graph is compiled: its slot, its static shape and, for a constant, its Float32 value.
struct Operand {
    let slot: Int
    let shape: [Int]
    let value: [Float]?
}

/// What a node computes: its output shape and the kernel that computes it.
struct Operation {
    let shape: [Int]
    let kernel: Kernel
}

extension GraphInterpreter {
    /// Walks the nodes once, inferring shapes, folding constants and compiling a ``Step`` for each node that
    /// depends on the input.
    struct Builder {
        /// The importer's constant table and helpers (initializers, Shape/Constant folding, integer parameters).
        var importer: GraphImporter
        var operands: [String: Operand] = [:]
        var values: [[Float]] = []
        var steps: [Step] = []
        let inputShape: [Int]

        init(model: Onnx_ModelProto, file: String) throws(ONNXError) {
            importer = try GraphImporter(model: model, file: file)
            inputShape = importer.shape
            define(importer.current, shape: inputShape, value: nil)
            for (name, tensor) in importer.constants.sorted(by: { $0.key < $1.key }) {
                define(name, shape: tensor.shape, value: tensor.values.map { Float($0) })
            }
        }

        @discardableResult
        mutating func define(_ name: String, shape: [Int], value: [Float]?) -> Operand {
            let operand = Operand(slot: values.count, shape: shape, value: value)
            values.append(value ?? [])
            operands[name] = operand
            return operand
        }

        /// Compiles one node: a constant when its inputs are all constant, else a step.
        mutating func add(_ node: Onnx_NodeProto, index: Int) throws(ONNXError) {
            let context = NodeContext(
                file: importer.file, name: node.name.isEmpty ? "#\(index)" : node.name, op: node.opType)
            let output = try checkOperatorAndOutputs(node, context)
            let inputs = try inputOperands(node, context)
            let attributes = NodeAttributes(node, context: context)
            if node.opType == "Split" {
                try addSplit(node, inputs, attributes)
                return
            }
            if let folded = try constantOutput(node, inputs, attributes) {
                importer.constants[output] = folded
                define(output, shape: folded.shape, value: folded.values.map { Float($0) })
                return
            }
            let operation = try self.operation(node, inputs, attributes)
            guard ConstantTensor.elementCount(operation.shape) != nil else {
                throw context.invalid("output shape \(operation.shape) is too large")
            }
            if inputs.allSatisfy({ $0 == nil || $0?.value != nil }) {
                // Constant folding in Float32, as ONNX Runtime does; the importer's Float64 fold, when it has one,
                // keeps integer tensors exact for the parameters later nodes read (a shape, axes, indices).
                let value = operation.kernel(inputs.map { $0?.value ?? [] })
                if let exact = try? importer.foldConstant(node, attributes) { importer.constants[output] = exact }
                define(output, shape: operation.shape, value: value)
            } else {
                let result = define(output, shape: operation.shape, value: nil)
                steps.append(Step(inputs: inputs.map { $0?.slot }, output: result.slot, kernel: operation.kernel))
            }
        }

        /// Checks the operator's domain and name and the outputs' names; returns the (first) output's name.
        private func checkOperatorAndOutputs(_ node: Onnx_NodeProto, _ context: NodeContext) throws(ONNXError)
            -> String
        {
            guard node.domain.isEmpty || node.domain == "ai.onnx" else {
                throw .unsupportedOperator(file: context.file, node: context.name, op: "\(node.domain).\(node.opType)")
            }
            guard ONNXImporter.supportedOperators.contains(node.opType) else {
                throw .unsupportedOperator(file: context.file, node: context.name, op: node.opType)
            }
            guard let output = node.output.first, !output.isEmpty else {
                throw context.invalid("the node has no output")
            }
            for name in node.output where !name.isEmpty && operands[name] != nil {
                throw context.invalid("output '\(name)' is already defined")
            }
            return output
        }

        /// The operand of every input position (nil for an absent optional input); each must be defined earlier.
        private func inputOperands(_ node: Onnx_NodeProto, _ context: NodeContext) throws(ONNXError) -> [Operand?] {
            var inputs: [Operand?] = []
            for name in node.input {
                guard !name.isEmpty else {
                    inputs.append(nil)
                    continue
                }
                guard let operand = operands[name] else {
                    throw context.invalid(
                        "input '\(name)' is neither a graph input, an initializer nor an earlier node's output")
                }
                inputs.append(operand)
            }
            return inputs
        }

        /// The value of a `Constant` node, or of `Shape` (static: every shape is known at construction).
        private func constantOutput(_ node: Onnx_NodeProto, _ inputs: [Operand?], _ attributes: NodeAttributes)
            throws(ONNXError) -> ConstantTensor?
        {
            switch node.opType {
            case "Constant", "ConstantOfShape": return try importer.foldConstant(node, attributes)
            case "Shape":
                guard let input = inputs.first ?? nil else { throw attributes.context.invalid("missing input") }
                return try GraphImporter.shapeSlice(input.shape, attributes)
            default: return nil
            }
        }

        /// `Split`: one slice of the input per output (each a constant when the input is).
        private mutating func addSplit(_ node: Onnx_NodeProto, _ inputs: [Operand?], _ attributes: NodeAttributes)
            throws(ONNXError)
        {
            let x = try required(inputs, 0, attributes.context)
            let exact = importer.constants[node.input[0]]
            for (name, map) in zip(node.output, try importer.splitMaps(node, on: x.shape, attributes))
            where !name.isEmpty {
                if let value = x.value {
                    if let exact { importer.constants[name] = ConstantTensor(shape: map.shape, values: map.apply(exact.values)) }
                    define(name, shape: map.shape, value: map.apply(value))
                } else {
                    let result = define(name, shape: map.shape, value: nil)
                    steps.append(Step(inputs: [x.slot], output: result.slot, kernel: { map.apply($0[0]) }))
                }
            }
        }

        /// The graph's single output (a constant output, `Shape` of the input say, is its value on every input).
        func outputOperand(_ graph: Onnx_GraphProto) throws(ONNXError) -> Operand {
            let file = importer.file
            guard graph.output.count == 1, let output = graph.output.first else {
                throw .invalidGraph(
                    file: file, reason: "the graph has \(graph.output.count) outputs; exactly one is supported")
            }
            guard let operand = operands[output.name] else {
                throw .invalidGraph(file: file, reason: "output '\(output.name)' is not computed by any node")
            }
            return operand
        }
    }
}
