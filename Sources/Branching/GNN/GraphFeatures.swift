import Bounds
import Network
import Tensor

/// The GNN's per-node features at one branch-and-bound node, in a fixed order (``GraphFeatures/featureSet``
/// names it; a model file records the name it was trained with).
///
/// Each graph layer's features are a row-major `nodes × width` array.
/// - **Input** (width 3): lower bound, upper bound, primal value. The primal point is the LP's input point when
///   the node has LP evidence for an open region, otherwise the minimiser over the box of the linear lower bound
///   of the node's worst objective row (the bound-propagation analogue).
/// - **ReLU** (width 11): intercept score `−l·u/(u − l)` (0 when stable or split), `l`, `u`, primal pre-activation
///   (the LP's where it has one, else the network's pre-activation at the primal point), primal post-activation
///   (`max(pre, 0)`), dual (the LP's `upperDual − lowerDual` where present, else the back-substituted multiplier λ
///   of `linearBound.reluCoefficients` summed over the open objective rows), bias (the affine offset of the
///   preceding linear stage), split active, split inactive, stable (not split and not unstable), LP evidence
///   present (1 when the pre-activation and dual came from an LP).
/// - **Output** (width 4): lower bound, upper bound, primal output (network at the primal point), bias.
///
/// Non-finite values (an infinite or NaN bound) become 0 and are counted in ``nonFiniteCount``.
public struct GraphFeatures: Sendable, Hashable, Codable {
    /// The feature set's name and version, stored in model and data files.
    public static let featureSet = "nncert-gnn-features-1"
    /// Features per input node.
    public static let inputWidth = 3
    /// Features per ReLU node.
    public static let reluWidth = 11
    /// Features per output node.
    public static let outputWidth = 4
    /// Feature width of graph layer type `t` (0 input, 1 ReLU, 2 output).
    public static func width(type t: Int) -> Int { [inputWidth, reluWidth, outputWidth][t] }

    /// Per graph layer (inputs, each ReLU layer, outputs): its nodes' features, row-major `nodes × width`.
    public var layers: [[Double]]
    /// Values that were not finite and were replaced by 0.
    public var nonFiniteCount: Int

    /// Features from their parts.
    public init(layers: [[Double]], nonFiniteCount: Int = 0) {
        self.layers = layers
        self.nonFiniteCount = nonFiniteCount
    }

    /// The node count of graph layer `g`.
    public func nodeCount(layer g: Int) -> Int { layers[g].count / Self.width(type: Self.type(ofLayer: g, count: layers.count)) }

    /// The type of graph layer `g` of `count`: 0 input, 1 ReLU, 2 output.
    public static func type(ofLayer g: Int, count: Int) -> Int { g == 0 ? 0 : (g == count - 1 ? 2 : 1) }

    /// The features of `context`'s node on `graph` (the graph of `context.network`).
    public init(context: BranchingContext, graph: GNNGraph) {
        let network = context.network
        let evaluation = context.evaluation
        let bounds = context.bounds
        var bad = 0
        func clean(_ x: Double) -> Double {
            if x.isFinite { return x }
            bad += 1
            return 0
        }
        // LP evidence of the first open region that has an input point.
        var lp: LPEvidence?
        for r in evaluation.openRegions { if let e = evaluation.lp[r], e.input != nil { lp = e; break } }
        // The primal input point.
        var x: [Double]
        if let point = lp?.input, point.count == network.inputCount {
            x = point
        } else {
            x = context.box.center
            let rows = context.objectiveRows
            let worst = rows.min { a, b in
                (evaluation.lower[a] - evaluation.thresholds[a]) < (evaluation.lower[b] - evaluation.thresholds[b])
            }
            let coefficients = context.linearBound.inputCoefficients
            if let row = worst, row < coefficients.rows, coefficients.columns == x.count {
                for j in x.indices { x[j] = coefficients[row, j] >= 0 ? context.box.lower[j] : context.box.upper[j] }
            }
        }
        for j in x.indices where !x[j].isFinite { x[j] = 0 }
        // Pre-activations at the primal point.
        var values = x
        var preActivation: [Int: [Double]] = [:]
        for (i, layer) in network.layers.enumerated() {
            if layer == .relu { preActivation[i] = values }
            values = layer.apply(values)
        }
        let output = values
        var layers: [[Double]] = []
        var input: [Double] = []
        input.reserveCapacity(x.count * Self.inputWidth)
        let inBox = bounds.tensors.first ?? context.box
        for j in x.indices {
            let l = j < inBox.dimension ? inBox.lower[j] : context.box.lower[j]
            let u = j < inBox.dimension ? inBox.upper[j] : context.box.upper[j]
            input += [clean(l), clean(u), clean(x[j])]
        }
        layers.append(input)
        for (g, r) in graph.reluLayers.enumerated() {
            let n = graph.sizes[g + 1]
            let box = bounds.tensors[r]
            let pre = preActivation[r] ?? [Double](repeating: 0, count: n)
            let lambda = context.linearBound.reluCoefficients[r]
            let bias = graph.stageBias[g]
            var f = [Double](repeating: 0, count: n * Self.reluWidth)
            for k in 0..<n {
                let l = box.lower[k], u = box.upper[k]
                let state = context.splits.state(layer: r, neuron: k)
                let unstable = bounds.isUnstable(layer: r, neuron: k)
                let id = NeuronID(layer: r, neuron: k)
                var v = k < pre.count ? pre[k] : 0
                var dual = 0.0
                if let lambda, k < lambda.columns {
                    for row in context.objectiveRows where row < lambda.rows { dual += lambda[row, k] }
                }
                var fromLP = 0.0
                if let lp, let lpPre = lp.preActivation[id] {
                    v = lpPre
                    dual = (lp.upperDual[id] ?? 0) - (lp.lowerDual[id] ?? 0)
                    fromLP = 1
                }
                let intercept = unstable && state == nil && u > l ? -l * u / (u - l) : 0
                let base = k * Self.reluWidth
                f[base + 0] = clean(intercept)
                f[base + 1] = clean(l)
                f[base + 2] = clean(u)
                f[base + 3] = clean(v)
                f[base + 4] = clean(max(v, 0))
                f[base + 5] = clean(dual)
                f[base + 6] = clean(k < bias.count ? bias[k] : 0)
                f[base + 7] = state == true ? 1 : 0
                f[base + 8] = state == false ? 1 : 0
                f[base + 9] = state == nil && !unstable ? 1 : 0
                f[base + 10] = fromLP
            }
            layers.append(f)
        }
        let outBox = bounds.tensors.last ?? Box(lower: output, upper: output)
        let outBias = graph.stageBias.last ?? []
        var out: [Double] = []
        for k in 0..<graph.sizes[graph.sizes.count - 1] {
            let l = k < outBox.dimension ? outBox.lower[k] : 0
            let u = k < outBox.dimension ? outBox.upper[k] : 0
            out += [clean(l), clean(u), clean(k < output.count ? output[k] : 0), clean(k < outBias.count ? outBias[k] : 0)]
        }
        layers.append(out)
        self.init(layers: layers, nonFiniteCount: bad)
    }
}
