import Network

/// Compression steps applied in order to a network, with a report of what they produced.
public struct CompressionPipeline: Sendable, Hashable {
    /// The steps, in the order they are applied.
    public var steps: [CompressionStep]

    /// A pipeline of `steps`.
    public init(_ steps: [CompressionStep]) { self.steps = steps }

    /// Applies every step in order.
    /// - Throws: ``CompressionError`` for a bad parameter (every step is validated before any runs).
    public func apply(to network: Network) throws(CompressionError) -> (network: Network, report: CompressionReport) {
        for step in steps { try step.validate() }
        var current = network
        var encodings: [Int: WeightEncoding] = [:]
        for step in steps {
            let next = try step.apply(to: current)
            if next.layers.count != current.layers.count { encodings = [:] }
            for tensor in next.weightTensors {
                if let encoding = step.encoding(of: tensor) { encodings[tensor.layer] = encoding }
            }
            current = next
        }
        let report = CompressionReport(
            steps: steps.map(\.summary),
            original: NetworkStatistics(network: network, encodings: Self.float32(network)),
            compressed: NetworkStatistics(network: current, encodings: Self.float32(current).merging(encodings) { $1 }))
        return (current, report)
    }

    /// Every weight tensor stored as float32.
    static func float32(_ network: Network) -> [Int: WeightEncoding] {
        Dictionary(uniqueKeysWithValues: network.weightTensors.map { ($0.layer, WeightEncoding.float32) })
    }
}
