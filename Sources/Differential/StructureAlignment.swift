import Network
import Tensor

/// Re-inserts the neurons that structured pruning removed from `g`, so that `f` and `g` have one structure.
///
/// Where a hidden dense layer of `g` has fewer neurons than `f`'s (the same layer kinds, narrower widths), each
/// of `g`'s rows is placed at a distinct position of `f`'s layer and the remaining positions get a zero row and a
/// zero bias; the consumer (the next dense layer, across elementwise layers and ReLU) gets a zero column there,
/// and elementwise layers in between get scale 1 and shift 0. An inserted neuron's value never reaches a later
/// neuron (its outgoing column is zero), so every injective placement computes exactly `g`'s function —
/// soundness does not depend on the choice. For tightness `g`'s rows (with their bias, after the previous
/// layer's placement) are matched greedily to `f`'s nearest rows in ℓ2, so that kept neurons face the neuron
/// they came from and `δ` stays small.
enum StructureAlignment {
    /// `f` and `g`, with `g` widened where it is narrower; unchanged when no layer needs it or when the layers
    /// between a narrowed layer and its consumer are not elementwise or ReLU (``StructureCheck`` then reports
    /// the mismatch).
    static func aligned(original f: Network, compressed g: Network) throws(DifferentialError) -> (Network, Network) {
        guard f.layers.count == g.layers.count, f.inputShape == g.inputShape,
              f.layerShapes != g.layerShapes
        else { return (f, g) }
        var layers = g.layers
        var placement: [Int]?  // position in f's tensor of each of g's current neurons
        for i in layers.indices {
            switch (f.layers[i], layers[i]) {
            case let (.dense(a), .dense(b)):
                let widened = placement.map { widenColumns(b, to: a.inputCount, at: $0) } ?? b
                guard widened.outputCount <= a.outputCount else { return (f, g) }
                if widened.outputCount < a.outputCount {
                    let rows = nearestRows(widened, a)
                    layers[i] = .dense(widenRows(widened, to: a.outputCount, at: rows))
                    placement = rows
                } else {
                    layers[i] = .dense(widened)
                    placement = nil
                }
            case let (.elementwise(a), .elementwise(b)):
                if let p = placement {
                    var e = ElementwiseAffine(scale: [Double](repeating: 1, count: a.scale.count),
                                              shift: [Double](repeating: 0, count: a.scale.count))
                    for (k, j) in p.enumerated() { e.scale[j] = b.scale[k]; e.shift[j] = b.shift[k] }
                    layers[i] = .elementwise(e)
                }
            case (.relu, .relu):
                break
            default:
                if placement != nil { return (f, g) }
            }
        }
        guard placement == nil,
              let widened = try? Network(inputShape: g.inputShape, layers: layers, inputName: g.inputName,
                                         outputName: g.outputName, inputClamp: g.inputClamp)
        else { return (f, g) }
        return (f, widened)
    }

    /// `d` with its input columns moved to `placement` among `count` columns (zero elsewhere).
    private static func widenColumns(_ d: Dense, to count: Int, at placement: [Int]) -> Dense {
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

    /// An injective map from `g`'s rows to `f`'s rows, greedily by increasing ℓ2 distance of (row, bias).
    private static func nearestRows(_ g: Dense, _ f: Dense) -> [Int] {
        var pairs: [(distance: Double, k: Int, r: Int)] = []
        for k in 0..<g.outputCount {
            for r in 0..<f.outputCount {
                var s = (g.bias[k] - f.bias[r]) * (g.bias[k] - f.bias[r])
                for c in 0..<f.inputCount {
                    let t = g.weights[k, c] - f.weights[r, c]
                    s += t * t
                }
                pairs.append((s, k, r))
            }
        }
        pairs.sort { ($0.distance, $0.k, $0.r) < ($1.distance, $1.k, $1.r) }
        var placement = [Int](repeating: -1, count: g.outputCount)
        var taken = [Bool](repeating: false, count: f.outputCount)
        for p in pairs where placement[p.k] < 0 && !taken[p.r] {
            placement[p.k] = p.r
            taken[p.r] = true
        }
        return placement
    }
}
