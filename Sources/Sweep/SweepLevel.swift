public import NetworkCompression

/// One compression level of a sweep: the swept parameter's value and the steps that compress at that level.
///
/// ```swift
/// let levels = SweepLevel.levels(.prune, values: [0.1, 0.2, 0.3])
/// ```
public struct SweepLevel: Sendable, Hashable {
    /// The parameter a sweep varies.
    public enum Axis: String, Sendable, Hashable, CaseIterable, Codable {
        /// Magnitude pruning by fraction, per layer (`compress --prune F`).
        case prune
        /// Symmetric uniform per-tensor quantisation to the given bits (`compress --quantize B`).
        case quantize
        /// Structured pruning of this fraction of hidden neurons (`compress --structured-prune F`).
        case structuredPrune = "structured-prune"
        /// Low-rank factorisation to this rank (`compress --low-rank R`).
        case lowRank = "low-rank"
        /// Weight sharing with this many k-means clusters per layer (`compress --share K`).
        case share

        /// Whether a larger value compresses more (pruning) or less (bits, rank, clusters).
        public var largerCompressesMore: Bool { self == .prune || self == .structuredPrune }

        /// The compression step at `value` (integer axes round it).
        public func step(_ value: Double) -> CompressionStep {
            switch self {
            case .prune: .prune(MagnitudePruning(.fraction(value, .perLayer)))
            case .quantize: .quantize(Quantization(.uniform(bits: Int(value.rounded()))))
            case .structuredPrune: .structuredPrune(StructuredPruning(fraction: value))
            case .lowRank: .lowRank(LowRankFactorization(.rank(Int(value.rounded()))))
            case .share: .share(WeightSharing(clusters: Int(value.rounded()), method: .kMeans(iterations: 100)))
            }
        }
    }

    /// The swept parameter.
    public var axis: Axis
    /// Its value at this level.
    public var value: Double
    /// Steps applied after the swept one at every level (e.g. a fixed quantisation after a pruning sweep).
    public var fixedSteps: [CompressionStep]

    /// The level at `value` of `axis`, followed by `fixedSteps`.
    public init(axis: Axis, value: Double, fixedSteps: [CompressionStep] = []) {
        self.axis = axis
        self.value = value
        self.fixedSteps = fixedSteps
    }

    /// One level per value, in the order given.
    public static func levels(_ axis: Axis, values: [Double], fixedSteps: [CompressionStep] = []) -> [SweepLevel] {
        values.map { SweepLevel(axis: axis, value: $0, fixedSteps: fixedSteps) }
    }

    /// The compression pipeline of this level.
    public var pipeline: CompressionPipeline { CompressionPipeline([axis.step(value)] + fixedSteps) }

    /// A short label, e.g. `prune 0.3` or `quantize 4`.
    public var label: String {
        let number = value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(value)
        return "\(axis.rawValue) \(number)"
    }
}
