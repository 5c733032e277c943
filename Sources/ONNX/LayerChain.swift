import Network
import Tensor

/// The layers built so far by the importer, with the shape ``Network`` will compute after each one.
///
/// Canonical form (so that export → import is the identity on networks of this form):
/// - a constant affine operation (Add/Sub/Mul/Div, BatchNormalization) folds into the preceding dense,
///   convolution or elementwise layer when there is one (convolutions only for per-channel constants);
/// - `reshape` layers record the ONNX shape where it differs from the shape ``Network`` computes, but one
///   directly before a dense, convolution or pooling layer is dropped (those layers read the flat data), and
///   consecutive reshapes merge.
struct LayerChain {
    let inputShape: [Int]
    private(set) var layers: [Layer] = []
    /// Shape after each layer, as ``Network`` computes it.
    private(set) var shapes: [[Int]] = []
    /// The node each layer came from (`name (op)`), for error messages.
    private(set) var origins: [(node: String, op: String)] = []
    /// Layers below this count are final: nothing folds into them or drops them (a hidden node's tensor is the
    /// output of the layers below a ``freeze()``).
    private(set) var frozenCount = 0

    init(inputShape: [Int]) { self.inputShape = inputShape }

    var currentShape: [Int] { shapes.last ?? inputShape }

    /// Appends a layer producing `shape`; geometry-carrying layers first drop trailing reshapes.
    mutating func append(_ layer: Layer, producing shape: [Int], node: String, op: String) {
        switch layer {
        case .dense, .conv2d, .maxPool, .averagePool:
            while layers.count > frozenCount, case .reshape = layers.last { removeLast() }
        default: break
        }
        layers.append(layer)
        shapes.append(shape)
        origins.append((node, op))
    }

    /// Makes the layers so far final, so that their output stays a tensor of the network (a tapped hidden node).
    mutating func freeze() { frozenCount = layers.count }

    private mutating func removeLast() {
        layers.removeLast()
        shapes.removeLast()
        origins.removeLast()
    }

    /// Makes the current shape equal to `shape` (the ONNX shape), adding, replacing or removing a trailing reshape.
    mutating func conform(to shape: [Int], node: String, op: String) {
        guard shape != currentShape else { return }
        if layers.count > frozenCount, case .reshape = layers.last {
            removeLast()
            if shape == currentShape { return }
        }
        append(.reshape(shape), producing: shape, node: node, op: op)
    }

    /// Applies `y = scale ⊙ x + shift` (flat, one entry per element of the current tensor), folding it into the
    /// last dense/conv/elementwise layer (looking past reshapes) when possible, else appending an elementwise layer.
    mutating func applyAffine(scale: [Double], shift: [Double], node: String, op: String) {
        var last = layers.count - 1
        while last >= frozenCount, case .reshape = layers[last] { last -= 1 }
        if last >= frozenCount {
            switch layers[last] {
            case var .dense(d):
                let columns = d.weights.columns
                for r in 0..<d.weights.rows {
                    for c in 0..<columns { d.weights.storage[r * columns + c] *= scale[r] }
                    d.bias[r] = scale[r] * d.bias[r] + shift[r]
                }
                layers[last] = .dense(d)
                return
            case var .conv2d(c):
                let plane = c.outputHeight * c.outputWidth
                if let (s, t) = perChannel(scale, shift, channels: c.outputChannels, plane: plane) {
                    for o in 0..<c.outputChannels {
                        let size = c.weights.count / c.outputChannels
                        for k in 0..<size { c.weights[o * size + k] *= s[o] }
                        c.bias[o] = s[o] * c.bias[o] + t[o]
                    }
                    layers[last] = .conv2d(c)
                    return
                }
            case var .elementwise(e):
                for i in e.scale.indices {
                    e.scale[i] *= scale[i]
                    e.shift[i] = scale[i] * e.shift[i] + shift[i]
                }
                layers[last] = .elementwise(e)
                return
            default: break
            }
        }
        append(.elementwise(ElementwiseAffine(scale: scale, shift: shift)), producing: currentShape, node: node, op: op)
    }

    /// The per-channel values when `scale` and `shift` are constant on each channel's plane.
    private func perChannel(_ scale: [Double], _ shift: [Double], channels: Int, plane: Int) -> ([Double], [Double])? {
        var s: [Double] = [], t: [Double] = []
        for o in 0..<channels {
            let base = o * plane
            for k in 0..<plane where scale[base + k] != scale[base] || shift[base + k] != shift[base] { return nil }
            s.append(scale[base])
            t.append(shift[base])
        }
        return (s, t)
    }
}
