import Network
import Tensor

/// Re-inserts the neurons and convolution channels that structured pruning removed from `g`, so that `f` and `g`
/// have one structure.
///
/// Where a hidden dense layer of `g` has fewer neurons than `f`'s, or a convolution fewer filters (the same layer
/// kinds and geometry, narrower widths), each of `g`'s rows (filters) is placed at a distinct position of `f`'s
/// layer and the remaining positions get a zero row (filter) and a zero bias; the consumer (the next dense layer
/// or convolution, across ReLU, elementwise layers, pooling and flattening) gets zero weights there: a zero
/// column, or for a dense layer behind a flattened convolution, the zero columns of that channel's plane.
/// Elementwise layers in between get scale 1 and shift 0 at the inserted positions, pools and reshapes take
/// `f`'s channel count. An inserted unit's value never reaches a later neuron (its outgoing weights are zero),
/// so every injective placement computes exactly `g`'s function — soundness does not depend on the choice. For
/// tightness `g`'s rows (filters, with their bias, after the previous layer's placement) are matched greedily to
/// `f`'s nearest in ℓ2, so that kept units face the unit they came from and `δ` stays small.
enum StructureAlignment {
    /// `f` and `g`, with `g` widened where it is narrower (unchanged when no layer needs it or when the layers
    /// between a narrowed layer and its consumer are not ones the placement passes through: ``StructureCheck``
    /// then reports the mismatch), and in both, average pools written as the depthwise convolutions they are
    /// (``Network/averagePoolsAsConvolutions()``), so that the convolution rules carry the difference through them.
    static func aligned(original f: Network, compressed g: Network) throws(DifferentialError) -> (Network, Network) {
        let (a, b) = widened(original: f, compressed: g)
        return (a.averagePoolsAsConvolutions(), b.averagePoolsAsConvolutions())
    }

    /// `g` widened to `f`'s structure where it is narrower.
    private static func widened(original f: Network, compressed g: Network) -> (Network, Network) {
        guard f.layers.count == g.layers.count, f.inputShape == g.inputShape,
              f.layerShapes != g.layerShapes
        else { return (f, g) }
        var layers = g.layers
        var placement: Placement?
        for i in layers.indices {
            guard let (layer, next) = widen(f.layers[i], layers[i], after: placement) else { return (f, g) }
            layers[i] = layer
            placement = next
        }
        guard placement == nil,
              let widened = try? Network(inputShape: g.inputShape, layers: layers, inputName: g.inputName,
                                         outputName: g.outputName, inputClamp: g.inputClamp)
        else { return (f, g) }
        return (f, widened)
    }

    /// Where `g`'s current units sit in `f`'s tensor: `g`'s channel `k` is `f`'s channel `channels[k]`, each
    /// channel a run of `plane` consecutive elements (1 for dense layers).
    struct Placement: Equatable {
        var channels: [Int]
        var plane: Int

        /// The position in `f`'s tensor of each of `g`'s elements.
        var positions: [Int] {
            channels.flatMap { c in (c * plane)..<((c + 1) * plane) }
        }
    }

    /// `g`'s layer `gLayer` facing `f`'s layer `fLayer`, widened to its size, and the placement after it; nil where
    /// the placement cannot pass.
    private static func widen(_ fLayer: Layer, _ gLayer: Layer, after placement: Placement?) -> (Layer, Placement?)? {
        switch (fLayer, gLayer) {
        case let (.dense(a), .dense(b)):
            let widened = placement.map { widenColumns(b, to: a.inputCount, at: $0.positions) } ?? b
            guard widened.inputCount == a.inputCount, widened.outputCount <= a.outputCount else { return nil }
            guard widened.outputCount < a.outputCount else { return (.dense(widened), nil) }
            let n = a.inputCount
            let rows = nearest(widened.outputCount, a.outputCount) { k, r in
                squaredDistance(widened.weights.storage[(k * n)..<((k + 1) * n)], a.weights.storage[(r * n)..<((r + 1) * n)],
                                widened.bias[k], a.bias[r])
            }
            return (.dense(widenRows(widened, to: a.outputCount, at: rows)), Placement(channels: rows, plane: 1))
        case let (.conv2d(a), .conv2d(b)):
            guard let p = placement else { return widen(a, b) }
            guard a.groups == 1, b.groups == 1, b.inputChannels == p.channels.count,
                  b.inputHeight * b.inputWidth == p.plane
            else { return nil }
            return widen(a, widenInputChannels(b, to: a.inputChannels, at: p.channels))
        case let (.elementwise(a), .elementwise(b)):
            guard let p = placement else { return (.elementwise(b), nil) }
            var e = ElementwiseAffine(scale: [Double](repeating: 1, count: a.scale.count),
                                      shift: [Double](repeating: 0, count: a.scale.count))
            for (k, j) in p.positions.enumerated() { e.scale[j] = b.scale[k]; e.shift[j] = b.shift[k] }
            return (.elementwise(e), p)
        case (.relu, .relu):
            return (gLayer, placement)
        case let (.maxPool(a), .maxPool(b)), let (.averagePool(a), .averagePool(b)):
            guard let p = widenedPool(a, b, after: placement) else { return placement == nil ? (gLayer, nil) : nil }
            return (fLayer, p)
        case (.reshape, .reshape):
            // Element order is kept, so positions stay valid; channels do not survive (plane 1).
            guard let p = placement else { return (gLayer, nil) }
            return (fLayer, Placement(channels: p.positions, plane: 1))
        default:
            return placement == nil ? (gLayer, nil) : nil
        }
    }

    /// The convolution `b` (its inputs already in `a`'s channels) with its filters placed among `a`'s.
    private static func widen(_ a: Conv2D, _ b: Conv2D) -> (Layer, Placement?)? {
        guard b.outputChannels <= a.outputChannels, b.inputChannels == a.inputChannels else { return nil }
        guard b.outputChannels < a.outputChannels else { return (.conv2d(b), nil) }
        // The same geometry but for the filter count (checked before the filters are sliced by `a`'s size; the
        // kernel first, so that `b` can take `a`'s filter count of zero filters).
        guard a.groups == 1, b.groups == 1, a.kernelHeight == b.kernelHeight, a.kernelWidth == b.kernelWidth,
              a.hasSameGeometry(as: b.replacingChannels(output: a.outputChannels,
              weights: [Double](repeating: 0, count: a.weights.count), bias: a.bias))
        else { return nil }
        let size = b.weights.count / b.outputChannels
        let filters = nearest(b.outputChannels, a.outputChannels) { k, r in
            squaredDistance(b.weights[(k * size)..<((k + 1) * size)], a.weights[(r * size)..<((r + 1) * size)],
                            b.bias[k], a.bias[r])
        }
        var weights = [Double](repeating: 0, count: a.weights.count), bias = [Double](repeating: 0, count: a.outputChannels)
        for (k, r) in filters.enumerated() {
            weights[(r * size)..<((r + 1) * size)] = b.weights[(k * size)..<((k + 1) * size)]
            bias[r] = b.bias[k]
        }
        let widened = b.replacingChannels(output: a.outputChannels, weights: weights, bias: bias)
        return (.conv2d(widened), Placement(channels: filters, plane: a.outputHeight * a.outputWidth))
    }

    /// The placement after `g`'s pool `b` facing `f`'s pool `a` (the same geometry but for the channel count);
    /// nil without a placement or when the geometry differs.
    private static func widenedPool(_ a: Pool2D, _ b: Pool2D, after placement: Placement?) -> Placement? {
        guard var p = placement, b.channels == p.channels.count else { return nil }
        var same = b
        same.channels = a.channels
        guard same == a else { return nil }
        p.plane = a.outputHeight * a.outputWidth
        return p
    }

    /// `d` with its input columns moved to `placement` among `count` columns (zero elsewhere).
    private static func widenColumns(_ d: Dense, to count: Int, at placement: [Int]) -> Dense {
        guard placement.count == d.inputCount else { return d }
        var w = Matrix(rows: d.outputCount, columns: count)
        for r in 0..<d.outputCount {
            for (k, j) in placement.enumerated() { w[r, j] = d.weights[r, k] }
        }
        return Dense(weights: w, bias: d.bias)
    }

    /// `d` with its rows moved to `placement` among `count` rows (zero rows and zero bias elsewhere).
    private static func widenRows(_ d: Dense, to count: Int, at placement: [Int]) -> Dense {
        var w = Matrix(rows: count, columns: d.inputCount)
        var bias = [Double](repeating: 0, count: count)
        for (k, r) in placement.enumerated() {
            for c in 0..<d.inputCount { w[r, c] = d.weights[k, c] }
            bias[r] = d.bias[k]
        }
        return Dense(weights: w, bias: bias)
    }

    /// `c` reading `count` input channels, its own at `placement` (zero weights on the others).
    private static func widenInputChannels(_ c: Conv2D, to count: Int, at placement: [Int]) -> Conv2D {
        let taps = c.kernelHeight * c.kernelWidth
        var weights = [Double](repeating: 0, count: c.outputChannels * count * taps)
        for o in 0..<c.outputChannels {
            for (k, j) in placement.enumerated() {
                let from = (o * c.inputChannels + k) * taps, to = (o * count + j) * taps
                weights[to..<(to + taps)] = c.weights[from..<(from + taps)]
            }
        }
        return c.replacingChannels(input: count, weights: weights, bias: c.bias)
    }

    /// `‖u − v‖² + (b − c)²`.
    private static func squaredDistance<U: Collection<Double>, V: Collection<Double>>(
        _ u: U, _ v: V, _ b: Double, _ c: Double
    ) -> Double {
        zip(u, v).reduce((b - c) * (b - c)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    /// An injective map from `g`'s `count` units to `f`'s `available`, greedily by increasing `distance`.
    private static func nearest(_ count: Int, _ available: Int, distance: (Int, Int) -> Double) -> [Int] {
        var pairs: [(distance: Double, k: Int, r: Int)] = []
        pairs.reserveCapacity(count * available)
        for k in 0..<count {
            for r in 0..<available { pairs.append((distance(k, r), k, r)) }
        }
        pairs.sort { ($0.distance, $0.k, $0.r) < ($1.distance, $1.k, $1.r) }
        var placement = [Int](repeating: -1, count: count)
        var taken = [Bool](repeating: false, count: available)
        for p in pairs where placement[p.k] < 0 && !taken[p.r] {
            placement[p.k] = p.r
            taken[p.r] = true
        }
        return placement
    }
}
