/// Why a compression step could not be applied: a parameter out of range or a layer that does not fit.
public enum CompressionError: Error, Sendable, Equatable {
    /// A fraction (of weights or neurons to remove, of energy to keep) outside its range.
    case invalidFraction(_ value: Double, what: String, range: String)
    /// A magnitude threshold that is negative or not finite.
    case invalidThreshold(Double)
    /// A bit width outside 2…8.
    case invalidBits(Int)
    /// A number of shared values (clusters, buckets) outside 2…256.
    case invalidClusterCount(Int)
    /// A rank below 1.
    case invalidRank(Int)
    /// A step names a layer that does not exist or is not a dense layer.
    case notDense(layer: Int, kind: String)
    /// The network rebuilt after a step was refused (this is a bug in the step).
    case invalidResult(step: String, reason: String)
}

extension CompressionError: CustomStringConvertible {
    /// A one-line description naming the parameter or the layer.
    public var description: String {
        switch self {
        case let .invalidFraction(value, what, range): "\(what) must be in \(range), got \(value)"
        case let .invalidThreshold(value): "pruning threshold must be finite and ≥ 0, got \(value)"
        case let .invalidBits(bits): "bits must be in 2…8, got \(bits)"
        case let .invalidClusterCount(count): "number of shared values must be in 2…256, got \(count)"
        case let .invalidRank(rank): "rank must be at least 1, got \(rank)"
        case let .notDense(layer, kind): "layer \(layer) is \(kind), not a dense layer"
        case let .invalidResult(step, reason): "\(step) produced an invalid network: \(reason)"
        }
    }
}
