import ArgumentParser
import NetworkCompression
import Foundation
import Network
import ONNX

/// `nncert compress NET --out OUT.onnx`: prune, factorise, share and quantise a network; write it as ONNX.
struct CompressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress",
        abstract: "Compress a network (pruning, low-rank, weight sharing, quantisation) and write it as ONNX.",
        discussion: """
            Steps run in a fixed order, whatever the order of the options: structured pruning, low-rank \
            factorisation, magnitude pruning, weight sharing, quantisation. Weights are written as the float32 \
            values the steps produced; biases are kept. The report gives, per layer, parameters, non-zero \
            weights, distinct values, bits per weight as stored, bytes and compressibility.
            """)

    @Argument(help: "The network (.onnx or .nnet without an input range).")
    var network: String

    @Option(help: ArgumentHelp("Where to write the compressed ONNX model.", valueName: "OUT.onnx"))
    var out: String

    @Option(help: ArgumentHelp(
        "Remove this fraction of the neurons (filters) of every hidden dense (convolution) layer, smallest l2 norm first.",
        valueName: "F"))
    var structuredPrune: Double?

    @Option(help: ArgumentHelp(
        "Split every dense layer in two by truncated SVD of this rank (where that saves weights).",
        valueName: "R"))
    var lowRank: Int?

    @Option(help: ArgumentHelp(
        "Like --low-rank, with the smallest rank keeping this fraction of the squared singular values.",
        valueName: "E"))
    var lowRankEnergy: Double?

    @Option(help: ArgumentHelp(
        "Zero this fraction of the weights of smallest magnitude in each layer (--global: over the whole network).",
        valueName: "F"))
    var prune: Double?

    @Flag(help: "With --prune: rank all weights of the network together (a layer of small weights, such as ACAS Xu's output layer, can lose nearly all of them).")
    var global = false

    @Option(help: ArgumentHelp("Zero every weight with |w| below this value.", valueName: "T"))
    var pruneThreshold: Double?

    @Option(help: ArgumentHelp(
        "Share at most this many values among each layer's non-zero weights (k-means).",
        valueName: "K"))
    var share: Int?

    @Option(help: "With --share: k-means (default) or hashed (buckets chosen by hashing weight positions).")
    var shareMethod: ShareMethod = .kmeans

    @Option(help: ArgumentHelp("Seed of --share-method hashed.", valueName: "N"))
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp(
        "Quantise weights to this many bits (2-8): symmetric uniform, or with --power-of-two.",
        valueName: "BITS"))
    var quantize: Int?

    @Flag(help: "Ternary quantisation (threshold 0.7 mean|w|, two fitted scales).")
    var ternary = false

    @Flag(help: "Power-of-two quantisation with --quantize bits (default 4).")
    var powerOfTwo = false

    @Flag(help: "Quantise with one scale per output neuron / channel instead of one per layer.")
    var perChannel = false

    @Flag(help: "Machine-readable report.")
    var json = false

    enum ShareMethod: String, ExpressibleByArgument, CaseIterable {
        case kmeans, hashed
    }

    func validate() throws {
        if prune != nil, pruneThreshold != nil { throw ValidationError("give --prune or --prune-threshold, not both") }
        if lowRank != nil, lowRankEnergy != nil { throw ValidationError("give --low-rank or --low-rank-energy, not both") }
        if ternary, quantize != nil || powerOfTwo {
            throw ValidationError("--ternary is its own scheme: drop --quantize and --power-of-two")
        }
        if perChannel, quantize == nil, !ternary, !powerOfTwo {
            throw ValidationError("--per-channel needs --quantize, --ternary or --power-of-two")
        }
        if global, prune == nil { throw ValidationError("--global needs --prune") }
        if steps.isEmpty { throw ValidationError("give at least one compression option (see --help)") }
        for step in steps {
            do { try step.validate() } catch { throw ValidationError(error.description) }
        }
    }

    /// The steps in the documented order.
    var steps: [CompressionStep] {
        var steps: [CompressionStep] = []
        if let structuredPrune { steps.append(.structuredPrune(StructuredPruning(fraction: structuredPrune))) }
        if let lowRank { steps.append(.lowRank(LowRankFactorization(.rank(lowRank)))) }
        if let lowRankEnergy { steps.append(.lowRank(LowRankFactorization(.energy(lowRankEnergy)))) }
        if let prune { steps.append(.prune(MagnitudePruning(.fraction(prune, global ? .global : .perLayer)))) }
        if let pruneThreshold { steps.append(.prune(MagnitudePruning(.threshold(pruneThreshold)))) }
        if let share {
            let method: WeightSharing.Method = shareMethod == .kmeans ? .kMeans(iterations: 100) : .hashed(seed: seed)
            steps.append(.share(WeightSharing(clusters: share, method: method)))
        }
        if let scheme = quantizationScheme {
            steps.append(.quantize(Quantization(scheme, granularity: perChannel ? .perChannel : .perTensor)))
        }
        return steps
    }

    private var quantizationScheme: Quantization.Scheme? {
        if ternary { return .ternary }
        if powerOfTwo { return .powerOfTwo(bits: quantize ?? 4) }
        return quantize.map { .uniform(bits: $0) }
    }

    func run() throws {
        let net = try BadInput.reporting(context: network) { try NetworkLoader.load(path: network) }
        let (compressed, report) = try BadInput.reporting(context: network) {
            try CompressionPipeline(steps).apply(to: net)
        }
        try BadInput.reporting(context: out) { try ONNXExporter.write(compressed, to: out) }
        let output = CompressionOutput(network: network, out: out, report: report)
        print(json ? try JSONOutput.encode(output) : output.text)
    }
}

/// The report of `nncert compress`, as text or JSON.
struct CompressionOutput: Encodable, TextReport {
    var network: String
    var out: String
    var report: CompressionReport
    /// Bytes before over bytes after.
    var compressionRatio: Double

    init(network: String, out: String, report: CompressionReport) {
        self.network = network
        self.out = out
        self.report = report
        compressionRatio = report.compressionRatio
    }

    var text: String {
        var lines = ["compressed \(network) → \(out)"]
        lines += report.steps.map { "  step: \($0)" }
        lines += StatisticsTable.lines(report.compressed)
        let (a, b) = (report.original, report.compressed)
        lines.append("  parameters \(a.parameters) → \(b.parameters), non-zero weights \(a.nonzeroWeights) → \(b.nonzeroWeights)")
        lines.append(String(format: "  bytes %d → %d (%.2f× smaller), %.2f bits per weight",
                            a.bytes, b.bytes, compressionRatio, b.averageBitsPerWeight))
        return lines.joined(separator: "\n")
    }
}

/// The per-layer table of a ``NetworkStatistics``.
enum StatisticsTable {
    static func lines(_ statistics: NetworkStatistics) -> [String] {
        let header = ["layer", "kind", "parameters", "weights", "non-zero", "distinct", "bits", "bytes", "l1/l2",
                      "top10%"]
        let widths = [6, 18, 11, 9, 9, 9, 5, 10, 7, 7]
        let rows = statistics.layers.map { l in
            ["\(l.index)", l.kind, "\(l.parameters)", "\(l.weights)", "\(l.nonzeroWeights)", "\(l.distinctValues)",
             l.weights == 0 ? "-" : "\(l.bitsPerWeight)", "\(l.bytes)", String(format: "%.3f", l.l1l2Compressibility),
             String(format: "%.3f", l.topEnergyFraction)]
        }
        return ([header] + rows).map { row in
            "  " + zip(row, widths).enumerated().map { k, cell in pad(cell.0, cell.1, right: k >= 2) }
                .joined(separator: " ")
        }
    }
}
