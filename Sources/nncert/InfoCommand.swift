import ArgumentParser
import NetworkCompression
import Foundation
import Network
import ONNX
import VNNLib

/// `nncert info FILE`: what a network or property file contains.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a network (.onnx, .nnet: layers, shapes, parameter and non-zero counts, bytes) or a property (.vnnlib: inputs, outputs, boxes, disjuncts).")

    @Argument(help: "An .onnx/.nnet network or a .vnnlib property.")
    var file: String

    @Flag(help: "Machine-readable output.")
    var json = false

    func run() throws {
        if file.lowercased().hasSuffix(".vnnlib") {
            let spec = try BadInput.reporting { try Specification(contentsOfFile: file) }
            try emit(PropertySummary(file: file, spec: spec))
        } else {
            let network = try BadInput.reporting(context: file) { try NetworkLoader.load(path: file) }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            try emit(NetworkSummary(file: file, network: network, fileBytes: bytes))
        }
    }

    private func emit<T: Encodable & TextReport>(_ summary: T) throws {
        if json {
            print(try JSONOutput.encode(summary))
        } else {
            print(summary.text)
        }
    }
}

/// A summary that renders as text.
protocol TextReport { var text: String { get } }

struct NetworkSummary: Encodable, TextReport {
    struct LayerRow: Encodable {
        var index: Int
        var kind: String
        var outputShape: [Int]
        var parameters: Int
        var nonzeros: Int
        /// Distinct weight values (a compressed layer shows how many levels it uses).
        var distinctValues: Int
        /// Bits per weight as stored (a codebook of the distinct values when that is smaller, else 32).
        var bitsPerWeight: Int
        /// Bytes as stored (``LayerStatistics/bytes``).
        var bytes: Int
        /// `1 − ‖w‖₁ / (√n·‖w‖₂)` and the share of `‖w‖₂²` in the largest 10% of the weights.
        var l1l2Compressibility: Double
        var topEnergyFraction: Double
    }
    var file: String
    var kind = "network"
    var inputName: String
    var inputShape: [Int]
    var outputName: String
    var outputShape: [Int]
    /// The range inputs are clipped to before the first layer (a `.nnet` file's minimums and maximums), if any.
    var inputRange: InputRange?
    var layers: [LayerRow]
    var parameters: Int
    var nonzeroParameters: Int
    var reluNeurons: Int
    var parameterBytesFloat32: Int
    /// Bytes with each layer's weights stored as indices into its distinct values (``LayerStatistics/bytes``).
    var parameterBytesStored: Int
    var fileBytes: Int

    init(file: String, network: Network, fileBytes: Int) {
        self.file = file
        inputName = network.inputName
        inputShape = network.inputShape
        outputName = network.outputName
        outputShape = network.outputShape
        inputRange = network.inputClamp.map { InputRange(lower: $0.lower, upper: $0.upper) }
        let statistics = NetworkStatistics(network: network)
        layers = network.layers.enumerated().map { i, layer in
            LayerRow(index: i, kind: layer.kindName, outputShape: network.layerShapes[i],
                     parameters: layer.parameterCount, nonzeros: layer.nonzeroParameterCount,
                     distinctValues: statistics.layers[i].distinctValues,
                     bitsPerWeight: statistics.layers[i].bitsPerWeight, bytes: statistics.layers[i].bytes,
                     l1l2Compressibility: statistics.layers[i].l1l2Compressibility,
                     topEnergyFraction: statistics.layers[i].topEnergyFraction)
        }
        parameterBytesStored = statistics.bytes
        parameters = network.parameterCount
        nonzeroParameters = network.nonzeroParameterCount
        reluNeurons = network.reluCount
        parameterBytesFloat32 = 4 * network.parameterCount
        self.fileBytes = fileBytes
    }

    var text: String {
        var lines = ["network \(file)",
                     "  input  \(inputName) \(inputShape)"]
        if let inputRange { lines.append("  input range (inputs are clipped to it) \(inputRange.text)") }
        lines += ["  output \(outputName) \(outputShape)",
                  "  layer  kind               output shape          parameters   non-zero   distinct bits      bytes   l1/l2"]
        for l in layers {
            lines.append("  " + [pad("\(l.index)", 6), pad(l.kind, 18), pad("\(l.outputShape)", 21),
                                 pad("\(l.parameters)", 12, right: true), pad("\(l.nonzeros)", 10, right: true),
                                 pad("\(l.distinctValues)", 10, right: true),
                                 pad(l.distinctValues == 0 ? "-" : "\(l.bitsPerWeight)", 4, right: true),
                                 pad("\(l.bytes)", 10, right: true), String(format: "%7.3f", l.l1l2Compressibility)]
                .joined(separator: " "))
        }
        let density = parameters == 0 ? 0 : 100 * Double(nonzeroParameters) / Double(parameters)
        lines.append("  parameters \(parameters), non-zero \(nonzeroParameters) (\(String(format: "%.1f", density))%), ReLU neurons \(reluNeurons)")
        lines.append("  bytes: \(parameterBytesFloat32) as float32 parameters, \(parameterBytesStored) with weights as indices into each layer's distinct values (where that is smaller), \(fileBytes) on disk")
        return lines.joined(separator: "\n")
    }
}

/// Per-input `[lower, upper]` of a network's input clipping.
struct InputRange: Encodable {
    var lower: [Double]
    var upper: [Double]

    /// `[l, u] [l, u] …`, the first 10 inputs.
    var text: String {
        let shown = zip(lower, upper).prefix(10).map { "[\($0), \($1)]" }.joined(separator: " ")
        return lower.count > 10 ? shown + " … (\(lower.count - 10) more)" : shown
    }
}

struct PropertySummary: Encodable, TextReport {
    struct CaseRow: Encodable {
        var inputLower: [Double]
        var inputUpper: [Double]
        var inputConstraints: Int
        var disjuncts: Int
        var rowsPerDisjunct: [Int]
    }
    struct NetworkRow: Encodable {
        var name: String
        var inputs: [String]
        var outputs: [String]
        var equivalence: String?
    }
    var file: String
    var kind = "property"
    var version: String
    var inputs: Int
    var outputs: Int
    var networks: [NetworkRow]
    var cases: [CaseRow]

    init(file: String, spec: Specification) {
        self.file = file
        version = "\(spec.version)"
        inputs = spec.inputCount
        outputs = spec.outputCount
        networks = spec.networks.map { n in
            NetworkRow(name: n.name, inputs: n.inputs.map { describe($0.declaration) },
                       outputs: n.outputs.map { describe($0.declaration) }, equivalence: n.equivalence.map { "\($0)" })
        }
        cases = spec.cases.map { c in
            CaseRow(inputLower: c.inputBox.lower, inputUpper: c.inputBox.upper,
                    inputConstraints: c.inputConstraints.count, disjuncts: c.disjuncts.count,
                    rowsPerDisjunct: c.disjuncts.map(\.rowCount))
        }
    }

    var text: String {
        var lines = ["property \(file) (VNN-LIB \(version))", "  inputs \(inputs), outputs \(outputs)"]
        for n in networks where version.hasPrefix("2") {
            lines.append("  network \(n.name)\(n.equivalence.map { " (\($0))" } ?? ""): inputs \(n.inputs.joined(separator: ", ")); outputs \(n.outputs.joined(separator: ", "))")
        }
        lines.append("  cases (input boxes) \(cases.count), disjuncts \(cases.map(\.disjuncts).reduce(0, +))")
        for (k, c) in cases.enumerated().prefix(20) {
            let widths = zip(c.inputLower, c.inputUpper).map { $1 - $0 }
            let extra = c.inputConstraints > 0 ? ", \(c.inputConstraints) input constraints" : ""
            lines.append("  case \(k): box of \(c.inputLower.count) inputs, max width \(widths.max() ?? 0)\(extra); \(c.disjuncts) disjuncts with \(c.rowsPerDisjunct.map(String.init).joined(separator: "/")) rows")
        }
        if cases.count > 20 { lines.append("  … \(cases.count - 20) more cases") }
        return lines.joined(separator: "\n")
    }
}

func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    guard s.count < width else { return s }
    let fill = String(repeating: " ", count: width - s.count)
    return right ? fill + s : s + fill
}

/// `NAME type [shape]`, as a VNN-LIB 2 declaration writes it.
func describe(_ d: VariableDeclaration) -> String {
    "\(d.name) \(d.elementType.rawValue) [\(d.shape.map(String.init).joined(separator: ","))]"
}
