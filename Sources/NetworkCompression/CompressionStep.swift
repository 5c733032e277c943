import Network

/// One compression transform with its parameters.
public enum CompressionStep: Sendable, Hashable {
    /// Remove whole dense neurons and convolution filters (``StructuredPruning``).
    case structuredPrune(StructuredPruning)
    /// Split dense layers in two by truncated SVD (``LowRankFactorization``).
    case lowRank(LowRankFactorization)
    /// Zero small weights (``MagnitudePruning``).
    case prune(MagnitudePruning)
    /// Share values within each layer (``WeightSharing``).
    case share(WeightSharing)
    /// Quantise the weights (``Quantization``).
    case quantize(Quantization)

    /// Checks the step's parameters.
    public func validate() throws(CompressionError) {
        switch self {
        case let .structuredPrune(s): try s.validate()
        case let .lowRank(s): try s.validate()
        case let .prune(s): try s.validate()
        case let .share(s): try s.validate()
        case let .quantize(s): try s.validate()
        }
    }

    /// The step applied to `network`.
    public func apply(to network: Network) throws(CompressionError) -> Network {
        switch self {
        case let .structuredPrune(s): try s.apply(to: network)
        case let .lowRank(s): try s.apply(to: network)
        case let .prune(s): try s.apply(to: network)
        case let .share(s): try s.apply(to: network)
        case let .quantize(s): try s.apply(to: network)
        }
    }

    /// How the step stores `tensor`'s weights, when it fixes a storage format (sharing and quantisation).
    func encoding(of tensor: WeightTensor) -> WeightEncoding? {
        switch self {
        case let .share(s):
            let zeros = tensor.values.contains(0) ? 1 : 0
            return WeightEncoding(bits: WeightEncoding.bitsToIndex(s.clusters + zeros), sideValues: s.clusters)
        case let .quantize(q):
            let groups = q.granularity == .perChannel ? tensor.channels : 1
            return WeightEncoding(bits: q.bits, sideValues: q.scheme == .ternary ? 2 * groups : groups)
        case .structuredPrune, .lowRank, .prune: return nil
        }
    }

    /// A short description with the parameters, e.g. `quantize uniform 8 bits, per channel`.
    public var summary: String {
        switch self {
        case let .structuredPrune(s): "structured-prune \(s.fraction) of the neurons or filters of each prunable layer"
        case let .lowRank(s): "low-rank \(s.target)"
        case let .prune(s):
            switch s.criterion {
            case let .fraction(f, scope): "prune \(f) of the weights (\(scope.rawValue))"
            case let .threshold(t): "prune weights with |w| < \(t)"
            }
        case let .share(s): "share \(s.clusters) values per layer (\(s.method))"
        case let .quantize(q): "quantize \(q.scheme), \(q.granularity == .perChannel ? "per channel" : "per tensor")"
        }
    }
}
