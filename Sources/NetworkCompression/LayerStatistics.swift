import Network

/// Size and compressibility of one layer's parameters.
///
/// *Weights* are the entries of a dense layer's matrix or a convolution's filters; *parameters* add the biases
/// (and an elementwise layer's scale and shift, which have no weights).
///
/// Storage: each weight takes ``bitsPerWeight`` bits — the scheme's width when it is known (a quantiser's
/// bits, `⌈log₂ K⌉` for `K` shared values), otherwise the index width of a codebook of the layer's distinct
/// weight values when there are at most 256 of them and the codebook saves bytes, else 32 (float32). ``bytes`` is
/// `⌈weights·bits/8⌉ + 4·(biases + side values)`, where the side values (a codebook, or one scale per
/// group) are stored as float32. Zeros are stored like any other value (no sparse format is assumed;
/// ``nonzeroWeights`` says what a sparse format would save).
///
/// Compressibility: ``l1l2Compressibility`` is `1 − ‖w‖₁ / (√n·‖w‖₂)`, which is 0 when every weight has the same
/// magnitude and approaches 1 when a few weights hold all the energy (0 for an all-zero layer);
/// ``topEnergyFraction`` is the fraction of `‖w‖₂²` held by the largest 10% of the weights (at least one).
public struct LayerStatistics: Sendable, Hashable, Codable {
    /// The layer's index in its network.
    public var index: Int
    /// ``Layer/kindName``.
    public var kind: String
    /// Weights and biases (or scale and shift).
    public var parameters: Int
    /// Entries of the weight matrix or filters.
    public var weights: Int
    /// Weights that are not exactly zero.
    public var nonzeroWeights: Int
    /// Distinct weight values (zero included when present).
    public var distinctValues: Int
    /// Bits per stored weight.
    public var bitsPerWeight: Int
    /// Bytes to store the layer's parameters (see the type's documentation).
    public var bytes: Int
    /// `1 − ‖w‖₁ / (√n·‖w‖₂)`.
    public var l1l2Compressibility: Double
    /// Fraction of `‖w‖₂²` in the largest 10% of the weights.
    public var topEnergyFraction: Double

    /// The statistics of layer `index`, whose weights are stored as `encoding` (nil: inferred from the values).
    public init(layer: Layer, index: Int, encoding: WeightEncoding? = nil) {
        self.index = index
        kind = layer.kindName
        parameters = layer.parameterCount
        let values = layer.weightTensor(index: index)?.values ?? []
        weights = values.count
        nonzeroWeights = values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        distinctValues = Set(values).count
        let stored = encoding ?? WeightEncoding.inferred(distinctValues: distinctValues, weights: weights)
        bitsPerWeight = values.isEmpty ? 32 : stored.bits
        let sideValues = values.isEmpty ? 0 : stored.sideValues
        bytes = (weights * bitsPerWeight + 7) / 8 + 4 * (parameters - weights + sideValues)
        (l1l2Compressibility, topEnergyFraction) = Self.compressibility(values)
    }

    /// `1 − ‖w‖₁ / (√n·‖w‖₂)` and the energy fraction of the top 10%.
    static func compressibility(_ values: [Double]) -> (Double, Double) {
        let energy = values.reduce(0) { $0 + $1 * $1 }
        guard energy > 0 else { return (0, 0) }
        let l1 = values.reduce(0) { $0 + abs($1) }
        let ratio = 1 - l1 / (Double(values.count).squareRoot() * energy.squareRoot())
        let top = max(1, values.count / 10)
        let largest = values.map { $0 * $0 }.sorted(by: >).prefix(top).reduce(0, +)
        return (max(0, ratio), largest / energy)
    }
}

/// How a layer's weights are stored: bits per weight and float32 side values (scales or a codebook).
public struct WeightEncoding: Sendable, Hashable, Codable {
    /// Bits per weight.
    public var bits: Int
    /// Float32 values stored besides the weights.
    public var sideValues: Int

    /// An encoding.
    public init(bits: Int, sideValues: Int) {
        self.bits = bits
        self.sideValues = sideValues
    }

    /// Plain float32 weights.
    public static let float32 = WeightEncoding(bits: 32, sideValues: 0)

    /// A codebook of the `d` distinct values (`⌈log₂ d⌉` bits, at least 1) when `d ≤ 256` and that takes fewer
    /// bytes than `weights` float32 values, else float32.
    public static func inferred(distinctValues d: Int, weights: Int) -> WeightEncoding {
        let codebook = WeightEncoding(bits: max(1, bitsToIndex(d)), sideValues: d)
        guard d <= 256, (weights * codebook.bits + 7) / 8 + 4 * d < 4 * weights else { return .float32 }
        return codebook
    }

    /// `⌈log₂ count⌉`.
    static func bitsToIndex(_ count: Int) -> Int {
        var bits = 0
        while (1 << bits) < count { bits += 1 }
        return bits
    }
}
