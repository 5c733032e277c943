import Network

/// Unstructured magnitude pruning: weights of small magnitude become exactly zero.
///
/// By fraction `f`, the `⌊f·n⌋` weights of smallest magnitude are zeroed (ties broken by position, so the result
/// is deterministic; weights already zero count among the smallest), either over all dense and convolutional
/// weights together (``Scope/global``) or in each layer separately (``Scope/perLayer``). By threshold `t`, every
/// weight with `|w| < t` is zeroed. Biases are never pruned.
public struct MagnitudePruning: Sendable, Hashable {
    /// Where a fraction is counted.
    public enum Scope: String, Sendable, Hashable, Codable {
        /// One ranking of all weights of the network.
        case global
        /// Each layer loses the same fraction of its own weights.
        case perLayer
    }

    /// What decides which weights are removed.
    public enum Criterion: Sendable, Hashable {
        /// Remove this fraction of the weights, in `[0, 1)`.
        case fraction(Double, Scope)
        /// Remove weights with `|w| <` this value (finite, ≥ 0).
        case threshold(Double)
    }

    /// The criterion.
    public var criterion: Criterion

    /// Pruning by `criterion`.
    public init(_ criterion: Criterion) { self.criterion = criterion }

    /// Checks the parameter.
    public func validate() throws(CompressionError) {
        switch criterion {
        case let .fraction(f, _):
            guard f >= 0, f < 1 else { throw .invalidFraction(f, what: "pruning fraction", range: "[0, 1)") }
        case let .threshold(t):
            guard t.isFinite, t >= 0 else { throw .invalidThreshold(t) }
        }
    }

    /// The network with the selected weights set to zero.
    public func apply(to network: Network) throws(CompressionError) -> Network {
        try validate()
        switch criterion {
        case let .threshold(t):
            return try network.mappingWeights(step: "pruning") { $0.values.map { abs($0) < t ? 0 : $0 } }
        case let .fraction(f, .perLayer):
            return try network.mappingWeights(step: "pruning") { Self.pruned($0.values, fraction: f) }
        case let .fraction(f, .global):
            let all = network.weightTensors.flatMap(\.values)
            let k = Int((f * Double(all.count)).rounded(.down))
            guard k > 0 else { return network }
            var cut = Self.smallestMagnitudes(all, count: k)
            return try network.mappingWeights(step: "pruning") { tensor in
                tensor.values.map { cut.removes($0) ? 0 : $0 }
            }
        }
    }

    /// `values` with its `⌊fraction·n⌋` smallest magnitudes (first positions first among ties) set to zero.
    static func pruned(_ values: [Double], fraction: Double) -> [Double] {
        let k = Int((fraction * Double(values.count)).rounded(.down))
        guard k > 0 else { return values }
        var cut = smallestMagnitudes(values, count: k)
        return values.map { cut.removes($0) ? 0 : $0 }
    }

    /// The `k`-th smallest magnitude and how many of the weights of exactly that magnitude are removed
    /// (those first in order).
    static func smallestMagnitudes(_ values: [Double], count k: Int) -> Cut {
        let sorted = values.map(abs).sorted()
        let magnitude = sorted[k - 1]
        let below = sorted.prefix(k).firstIndex(of: magnitude) ?? 0
        return Cut(magnitude: magnitude, tiesRemoved: k - below)
    }

    /// Weights with `|w|` below `magnitude` are removed, and the first `tiesRemoved` with `|w| == magnitude`.
    struct Cut {
        let magnitude: Double
        var tiesRemoved: Int

        /// Whether `w` is removed; consumes one tie when `|w|` equals the magnitude.
        mutating func removes(_ w: Double) -> Bool {
            let m = abs(w)
            if m < magnitude { return true }
            guard m == magnitude, tiesRemoved > 0 else { return false }
            tiesRemoved -= 1
            return true
        }
    }
}
