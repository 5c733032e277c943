public import Foundation
public import Network
import SwiftProtobuf
import Tensor

/// Writes a ``Network`` as an ONNX model: IR version 8, opset 13, float32 initializers in `raw_data`.
///
/// Layers map to `Gemm` (dense, `transB = 1`, weight `[outputs, inputs]`), `Conv`, `Relu`, `Sigmoid`, `Tanh`,
/// `MaxPool`, `AveragePool`, `Reshape`, and `Mul` + `Add` (elementwise). A `Reshape` is inserted where a layer
/// needs a shape the previous one does not produce (`[1, n]` before `Gemm`, `[1, C, H, W]` before `Conv`).
/// Weights are rounded to float32, so export → import returns the same network exactly when its parameters
/// are float32-representable. A network that clips its inputs (``Network/inputClamp``, from a `.nnet` file) is
/// refused: the importer reads no clipping back, and dropping it would change the function.
public enum ONNXExporter {
    /// IR version written.
    public static let irVersion: Int64 = 8
    /// Opset version written.
    public static let opsetVersion: Int64 = 13

    /// The serialized model.
    /// - Parameter graphName: the ONNX graph name.
    /// - Throws: ``ONNXError/cannotExport(reason:)`` for a network with an ``Network/inputClamp``.
    public static func data(for network: Network, graphName: String = "nncert") throws(ONNXError) -> Data {
        if network.inputClamp != nil {
            throw .cannotExport(
                reason: "the network clips its inputs to a range (a .nnet input range), which the exporter does not write")
        }
        var writer = GraphWriter(network: network)
        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "nncert"
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        model.opsetImport = [opset]
        model.graph = writer.graph(name: graphName)
        // Serializing a message built in memory cannot fail (no required fields, no unknown Any types).
        return (try? model.serializedData()) ?? Data()
    }

    /// Writes the model to `path`.
    /// - Throws: ``ONNXError/unreadable(file:reason:)`` when the file cannot be written,
    ///   ``ONNXError/cannotExport(reason:)`` as ``data(for:graphName:)``.
    public static func write(_ network: Network, to path: String) throws(ONNXError) {
        let bytes = try data(for: network)
        do {
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unreadable(file: path, reason: FileContents.reason(for: error))
        }
    }
}

/// Builds the nodes and initializers of one exported graph.
private struct GraphWriter {
    let network: Network
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    var tensor: String
    var shape: [Int]
    var counter = 0

    init(network: Network) {
        self.network = network
        tensor = network.inputName
        shape = network.inputShape
    }

    mutating func graph(name: String) -> Onnx_GraphProto {
        for (index, layer) in network.layers.enumerated() { emit(layer, index: index) }
        if nodes.isEmpty { add("Identity", inputs: [tensor], name: "identity", shape: shape) }
        nodes[nodes.count - 1].output = [network.outputName]
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.node = nodes
        graph.initializer = initializers
        graph.input = [Self.valueInfo(network.inputName, network.inputShape)]
        graph.output = [Self.valueInfo(network.outputName, network.outputShape)]
        return graph
    }

    static func valueInfo(_ name: String, _ shape: [Int]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = 1
        var s = Onnx_TensorShapeProto()
        s.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            dim.dimValue = Int64(d)
            return dim
        }
        tensorType.shape = s
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }

    /// Adds a float32 (or int64, for shapes) initializer and returns its name.
    mutating func initializer(_ name: String, _ dims: [Int], _ values: [Double], int64: Bool = false) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims.map(Int64.init)
        var raw = Data(capacity: values.count * (int64 ? 8 : 4))
        for v in values {
            if int64 {
                withUnsafeBytes(of: Int64(v).littleEndian) { raw.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { raw.append(contentsOf: $0) }
            }
        }
        t.dataType = int64 ? 7 : 1
        t.rawData = raw
        initializers.append(t)
        return name
    }

    static func attribute(_ name: String, ints: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = ints.map(Int64.init)
        return a
    }

    static func attribute(_ name: String, int: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(int)
        return a
    }

    /// Appends a node reading `inputs` (the current tensor first) and makes its output the current tensor.
    mutating func add(
        _ op: String, inputs: [String], name: String, shape newShape: [Int], attributes: [Onnx_AttributeProto] = []
    ) {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = name
        node.input = inputs
        counter += 1
        node.output = ["t\(counter)"]
        node.attribute = attributes
        nodes.append(node)
        tensor = "t\(counter)"
        shape = newShape
    }

    /// A `Reshape` to `target` unless the tensor has that shape; `tag` tells apart two reshapes of one layer.
    mutating func reshape(to target: [Int], index: Int, tag: String = "") {
        guard shape != target else { return }
        let spec = initializer("layer\(index)\(tag)_shape", [target.count], target.map(Double.init), int64: true)
        add("Reshape", inputs: [tensor, spec], name: "Reshape_\(index)\(tag)", shape: target)
    }

    /// `ConvTranspose` with ONNX's weights (`[C, M / group, kh, kw]`), the adjoint convolution's strides, dilations
    /// and pads, and the `output_padding` that gives the layer's output size.
    mutating func emitConvTranspose(_ t: ConvTranspose2D, index: Int, output: [Int]) {
        let k = t.adjoint
        reshape(to: [1, t.inputChannels, k.outputHeight, k.outputWidth], index: index)
        let w = initializer(
            "layer\(index)_weight", [t.inputChannels, t.outputChannels / t.groups, k.kernelHeight, k.kernelWidth],
            t.groupWeights)
        let b = initializer("layer\(index)_bias", [t.bias.count], t.bias)
        let outputPadding = [
            t.outputHeight - ConvTranspose2D.outputSize(
                input: k.outputHeight, kernel: k.kernelHeight, stride: k.strideHeight, dilation: k.dilationHeight,
                padBegin: k.pads[0], padEnd: k.pads[2], outputPadding: 0),
            t.outputWidth - ConvTranspose2D.outputSize(
                input: k.outputWidth, kernel: k.kernelWidth, stride: k.strideWidth, dilation: k.dilationWidth,
                padBegin: k.pads[1], padEnd: k.pads[3], outputPadding: 0),
        ]
        var attributes = Self.windowAttributes(k)
        if outputPadding != [0, 0] { attributes.append(Self.attribute("output_padding", ints: outputPadding)) }
        add("ConvTranspose", inputs: [tensor, w, b], name: "ConvTranspose_\(index)", shape: output, attributes: attributes)
    }

    /// A convolution's `kernel_shape`, `strides`, `pads`, `dilations` and, for more than one group, `group`.
    static func windowAttributes(_ c: Conv2D) -> [Onnx_AttributeProto] {
        var attributes = [
            attribute("kernel_shape", ints: [c.kernelHeight, c.kernelWidth]),
            attribute("strides", ints: [c.strideHeight, c.strideWidth]),
            attribute("pads", ints: c.pads),
            attribute("dilations", ints: [c.dilationHeight, c.dilationWidth]),
        ]
        if c.groups > 1 { attributes.append(attribute("group", int: c.groups)) }
        return attributes
    }

    mutating func emit(_ layer: Layer, index: Int) {
        let output = network.layerShapes[index]
        switch layer {
        case let .dense(d):
            reshape(to: [1, d.weights.columns], index: index)
            let w = initializer("layer\(index)_weight", [d.weights.rows, d.weights.columns], d.weights.storage)
            let b = initializer("layer\(index)_bias", [d.bias.count], d.bias)
            add(
                "Gemm", inputs: [tensor, w, b], name: "Gemm_\(index)", shape: output,
                attributes: [Self.attribute("transB", int: 1)])
        case let .conv2d(c):
            reshape(to: [1, c.inputChannels, c.inputHeight, c.inputWidth], index: index)
            let w = initializer(
                "layer\(index)_weight", [c.outputChannels, c.inputChannels / c.groups, c.kernelHeight, c.kernelWidth],
                c.groupWeights)
            let b = initializer("layer\(index)_bias", [c.bias.count], c.bias)
            add("Conv", inputs: [tensor, w, b], name: "Conv_\(index)", shape: output, attributes: Self.windowAttributes(c))
        case let .convTranspose(t):
            emitConvTranspose(t, index: index, output: output)
        case let .maxPool(p), let .averagePool(p):
            reshape(to: [1, p.channels, p.inputHeight, p.inputWidth], index: index)
            var attributes = [
                Self.attribute("kernel_shape", ints: [p.kernelHeight, p.kernelWidth]),
                Self.attribute("strides", ints: [p.strideHeight, p.strideWidth]),
                Self.attribute("pads", ints: p.pads),
            ]
            let op = if case .maxPool = layer { "MaxPool" } else { "AveragePool" }
            if op == "AveragePool" {
                attributes.append(Self.attribute("count_include_pad", int: p.countIncludePad ? 1 : 0))
            }
            add(op, inputs: [tensor], name: "\(op)_\(index)", shape: output, attributes: attributes)
        case let .elementwise(e):
            let scale = initializer("layer\(index)_scale", shape, e.scale)
            add("Mul", inputs: [tensor, scale], name: "Mul_\(index)", shape: output)
            let shift = initializer("layer\(index)_shift", shape, e.shift)
            add("Add", inputs: [tensor, shift], name: "Add_\(index)", shape: output)
        case .relu: add("Relu", inputs: [tensor], name: "Relu_\(index)", shape: output)
        case .sigmoid: add("Sigmoid", inputs: [tensor], name: "Sigmoid_\(index)", shape: output)
        case .tanh: add("Tanh", inputs: [tensor], name: "Tanh_\(index)", shape: output)
        case let .softmax(softmax):
            // Opset 13's Softmax runs along one axis: the groups become the last axis of a [groups, size] tensor.
            let grouped = shape.last == softmax.size ? shape : [shape.reduce(1, *) / softmax.size, softmax.size]
            reshape(to: grouped, index: index)
            add("Softmax", inputs: [tensor], name: "Softmax_\(index)", shape: grouped,
                attributes: [Self.attribute("axis", int: -1)])
            reshape(to: output, index: index, tag: "_out")
        case let .reshape(target): reshape(to: target, index: index)
        }
    }
}
