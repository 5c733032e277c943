import Network

/// Per-layer size and compressibility of a network (``LayerStatistics``), with totals.
public struct NetworkStatistics: Sendable, Hashable, Codable {
    /// One entry per layer, in order.
    public var layers: [LayerStatistics]

    /// The statistics of `network`; `encodings[i]` says how layer `i`'s weights are stored (absent: inferred
    /// from the distinct values, ``WeightEncoding/inferred(distinctValues:weights:)``).
    public init(network: Network, encodings: [Int: WeightEncoding] = [:]) {
        layers = network.layers.indices.map {
            LayerStatistics(layer: network.layers[$0], index: $0, encoding: encodings[$0])
        }
    }

    /// All parameters.
    public var parameters: Int { layers.reduce(0) { $0 + $1.parameters } }
    /// All weights.
    public var weights: Int { layers.reduce(0) { $0 + $1.weights } }
    /// Weights that are not zero.
    public var nonzeroWeights: Int { layers.reduce(0) { $0 + $1.nonzeroWeights } }
    /// Bytes to store every layer.
    public var bytes: Int { layers.reduce(0) { $0 + $1.bytes } }
    /// Bytes of every parameter as float32.
    public var float32Bytes: Int { 4 * parameters }
    /// Weight bits per weight, averaged over the network (32 for no weights).
    public var averageBitsPerWeight: Double {
        weights == 0 ? 32 : Double(layers.reduce(0) { $0 + $1.weights * $1.bitsPerWeight }) / Double(weights)
    }

    private enum CodingKeys: String, CodingKey {
        case layers, parameters, weights, nonzeroWeights, bytes, float32Bytes, averageBitsPerWeight
    }

    /// Encodes the layers and the totals.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layers, forKey: .layers)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(weights, forKey: .weights)
        try c.encode(nonzeroWeights, forKey: .nonzeroWeights)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(float32Bytes, forKey: .float32Bytes)
        try c.encode(averageBitsPerWeight, forKey: .averageBitsPerWeight)
    }

    /// Decodes the layers (the totals are recomputed).
    public init(from decoder: any Decoder) throws {
        layers = try decoder.container(keyedBy: CodingKeys.self).decode([LayerStatistics].self, forKey: .layers)
    }
}
