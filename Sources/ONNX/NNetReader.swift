import Foundation
public import Network
import Tensor

/// Reads the `.nnet` text format of the original ACAS Xu networks (Julian, Kochenderfer & Owen 2018; the format of
/// the `sisl/NNet` repository) into a ``Network``.
///
/// Format: header lines starting with `//`; then, comma-separated, the sizes line `numLayers, inputs, outputs,
/// maxLayerSize`; the `numLayers + 1` layer sizes; an unused symmetric flag; input minimums; input maximums; means
/// (`inputs + 1` values, the last one for the outputs); ranges (likewise); then for each layer its weight rows
/// (one line per output neuron) followed by its biases (one per line). Hidden layers are followed by ReLU; the last
/// layer is linear.
///
/// The reference implementation normalises inputs as `(clip(x, min, max) − mean) / range` and de-normalises outputs
/// as `y · range_out + mean_out`. The returned network starts with an ``ElementwiseAffine`` layer for
/// `(x − mean) / range` and ends with one for `y · range_out + mean_out`, so it maps raw inputs to raw outputs,
/// and its ``Network/inputClamp`` holds the input minimums and maximums, so that ``Network/evaluate(_:)-(Double)``
/// computes `f(clip(x, min, max))` exactly as the reference does for inputs outside the range too. The verifier
/// decides a property over a box `B` by verifying the layers over `clip(B)`. The range is also returned as
/// ``NNetReader/Model/inputBox``.
public enum NNetReader {
    /// A parsed `.nnet` file.
    public struct Model: Sendable {
        /// The network on raw (unnormalised) inputs and outputs, input shape `[1, inputs]`.
        public var network: Network
        /// Per-input `(minimum, maximum)` of the reference implementation's clipping (also the network's
        /// ``Network/inputClamp``).
        public var inputBox: [(lower: Double, upper: Double)]
    }

    /// Loads the `.nnet` file at `path`.
    public static func load(path: String) throws(ONNXError) -> Model {
        let data: Data
        do {
            data = try FileContents.read(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformedNNet(file: path, line: 1, reason: "the file is not UTF-8 text")
        }
        return try parse(text, fileName: path)
    }

    /// Parses `.nnet` text; `fileName` appears in error messages.
    public static func parse(_ text: String, fileName: String = "<memory>") throws(ONNXError) -> Model {
        var numbers = NumberStream(text: text, file: fileName)
        let header = try numbers.integers(4, what: "sizes line (layers, inputs, outputs, max layer size)")
        let (layerCount, inputs, outputs) = (header[0], header[1], header[2])
        guard layerCount > 0, layerCount <= 10_000 else { throw numbers.error("invalid layer count \(layerCount)") }
        let sizes = try numbers.integers(layerCount + 1, what: "layer sizes")
        guard sizes.allSatisfy({ $0 > 0 && $0 <= 1_000_000 }), sizes.first == inputs, sizes.last == outputs else {
            throw numbers.error("layer sizes \(sizes) do not match \(inputs) inputs and \(outputs) outputs")
        }
        _ = try numbers.values(1, what: "symmetric flag")
        let minimums = try numbers.values(inputs, what: "input minimums")
        let maximums = try numbers.values(inputs, what: "input maximums")
        let clamp = Box(lower: minimums, upper: maximums)
        guard clamp.isValid else { throw numbers.error("an input minimum exceeds its maximum") }
        let means = try numbers.values(inputs + 1, what: "means")
        let ranges = try numbers.values(inputs + 1, what: "ranges")
        guard ranges.allSatisfy({ $0 != 0 }) else { throw numbers.error("a normalisation range is zero") }

        var layers: [Layer] = [
            .elementwise(
                ElementwiseAffine(
                    scale: ranges[..<inputs].map { 1 / $0 }, shift: (0..<inputs).map { -means[$0] / ranges[$0] }))
        ]
        for k in 0..<layerCount {
            let (rows, columns) = (sizes[k + 1], sizes[k])
            guard ConstantTensor.elementCount([rows, columns]) != nil else {
                throw numbers.error("layer \(k + 1) is too large")
            }
            let weights = try numbers.values(rows * columns, what: "weights of layer \(k + 1)")
            let bias = try numbers.values(rows, what: "biases of layer \(k + 1)")
            layers.append(.dense(Dense(weights: Matrix(rows: rows, columns: columns, storage: weights), bias: bias)))
            if k < layerCount - 1 { layers.append(.relu) }
        }
        layers.append(
            .elementwise(
                ElementwiseAffine(
                    scale: Array(repeating: ranges[inputs], count: outputs),
                    shift: Array(repeating: means[inputs], count: outputs))))
        if let extra = numbers.next() { throw numbers.error("unexpected value \(extra) after the last layer") }
        do {
            let network = try Network(inputShape: [1, inputs], layers: layers, inputClamp: clamp)
            return Model(network: network, inputBox: (0..<inputs).map { (minimums[$0], maximums[$0]) })
        } catch {
            throw .malformedNNet(file: fileName, line: numbers.line, reason: "\(error)")
        }
    }
}

/// The comma/whitespace-separated numbers of a `.nnet` file after its `//` header, with line numbers for errors.
private struct NumberStream {
    private var lines: [(number: Int, fields: [Substring])] = []
    private var lineIndex = 0
    private var fieldIndex = 0
    let file: String

    init(text: String, file: String) {
        self.file = file
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("//") { continue }
            let fields = line.split { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\r" }
            if !fields.isEmpty { lines.append((k + 1, fields)) }
        }
    }

    /// The line of the next (or last) number.
    var line: Int { lineIndex < lines.count ? lines[lineIndex].number : (lines.last?.number ?? 1) }

    func error(_ reason: String) -> ONNXError { .malformedNNet(file: file, line: line, reason: reason) }

    mutating func next() -> Substring? {
        while lineIndex < lines.count {
            if fieldIndex < lines[lineIndex].fields.count {
                fieldIndex += 1
                return lines[lineIndex].fields[fieldIndex - 1]
            }
            lineIndex += 1
            fieldIndex = 0
        }
        return nil
    }

    mutating func values(_ count: Int, what: String) throws(ONNXError) -> [Double] {
        var result: [Double] = []  // no reserveCapacity: `count` comes from the file and may be absurd
        for _ in 0..<count {
            guard let field = next() else { throw error("end of file while reading \(what)") }
            guard let v = Double(field), v.isFinite else { throw error("'\(field)' in \(what) is not a finite number") }
            result.append(v)
        }
        return result
    }

    mutating func integers(_ count: Int, what: String) throws(ONNXError) -> [Int] {
        var result: [Int] = []
        for v in try values(count, what: what) {
            guard v == v.rounded(), abs(v) < 1e9 else { throw error("\(what) must hold integers") }
            result.append(Int(v))
        }
        return result
    }
}
