import Network

/// A network cut at its max-pooling layers into segments, each a ``SlopeChain`` of its own: max pooling is not
/// an elementwise slope-restricted activation, so no LipSDP matrix inequality spans it, but it is Lipschitz, and
/// Lipschitz constants multiply along a composition.
///
/// The ℓ₂ constant of a max pool is `√m`, `m` the largest number of windows sharing an input element
/// (``Pool2D/windowOverlap``; 1 for non-overlapping windows): per window `|max a − max b| ≤ max_k |a_k − b_k| ≤
/// ‖a_w − b_w‖₂`, and summing the squares over the windows counts each element at most `m` times. So
/// `L(f) ≤ L(segment_K) · … · √m_1 · L(segment_0)` for certified segment bounds, globally and on a region (each
/// segment's slopes then come from bounds over the region, which hold on the points the region reaches).
struct PooledSegments: Sendable {
    /// The segments' chains, in order (a network without max pooling is one segment).
    var chains: [SlopeChain]
    /// `√(m_1 · m_2 · …)` over the max pools, rounded up (1 without them).
    var poolFactor: Double
    /// True when the network has max pooling (so its bound is the segments' product, even of one segment).
    var hasPools: Bool

    /// The segments of `network`.
    /// - Throws: ``LipschitzError/unsupportedLayer(layer:kind:)`` for a softmax, numbered in `network`.
    init(network: Network) throws {
        var chains: [SlopeChain] = []
        var overlap = 1.0
        var start = 0
        var pools = 0
        func close(_ end: Int) throws {
            guard end > start else { return }
            let segment = try Network(inputShape: network.inputShape(ofLayer: start), layers: Array(network.layers[start..<end]))
            do {
                chains.append(try SlopeChain(network: segment))
            } catch let LipschitzError.unsupportedLayer(layer, kind) {
                throw LipschitzError.unsupportedLayer(layer: layer + start, kind: kind)
            }
        }
        for (i, layer) in network.layers.enumerated() {
            guard case let .maxPool(pool) = layer else { continue }
            try close(i)
            overlap *= Double(pool.windowOverlap)
            pools += 1
            start = i + 1
        }
        try close(network.layers.count)
        if chains.isEmpty {
            chains = [SlopeChain(operators: [AffineOperator(identity: network.outputCount)], alpha: [], beta: [])]
        }
        self.chains = chains
        hasPools = pools > 0
        let root = overlap.squareRoot()
        poolFactor = root * root == overlap ? root : root.nextUp
    }

    /// The activation layers' widths, segment after segment.
    var activationWidths: [Int] { chains.flatMap { $0.alpha.map(\.count) } }

    /// The chains with slopes intersected with `[lower, upper]`, given per activation layer of the whole network.
    func restricted(alpha lower: [[Double]], beta upper: [[Double]]) throws -> [SlopeChain] {
        guard lower.count == activationWidths.count, upper.count == activationWidths.count else {
            throw LipschitzError.slopeShapeMismatch(expected: activationWidths, found: upper.map(\.count))
        }
        var first = 0
        return try chains.map { chain in
            defer { first += chain.alpha.count }
            let layers = first..<(first + chain.alpha.count)
            return try chain.restricted(alpha: Array(lower[layers]), beta: Array(upper[layers]))
        }
    }
}
