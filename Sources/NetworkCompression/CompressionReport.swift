/// What a ``CompressionPipeline`` did: the steps and the statistics before and after.
public struct CompressionReport: Sendable, Hashable, Codable {
    /// ``CompressionStep/summary`` of each step, in order.
    public var steps: [String]
    /// The original network, every weight counted as float32.
    public var original: NetworkStatistics
    /// The compressed network, weights counted as the last sharing or quantisation step stores them
    /// (float32 when none did).
    public var compressed: NetworkStatistics

    /// A report.
    public init(steps: [String], original: NetworkStatistics, compressed: NetworkStatistics) {
        self.steps = steps
        self.original = original
        self.compressed = compressed
    }

    /// `original.bytes / compressed.bytes`.
    public var compressionRatio: Double { Double(original.bytes) / Double(max(1, compressed.bytes)) }
}
