public import Bounds
public import Network
public import Tensor

/// Input splitting by the interval-gradient "smear" of ReluVal (Wang et al., USENIX Security 2018): coordinate `j`
/// scores `Σ_rows max|∂(c_r·f)/∂x_j|·(u_j − l_j)`, the partial derivative bounded over the node's box by a
/// backward interval pass in which every unstable ReLU's derivative ranges over [0, 1].
///
/// Unlike ``InputSmear``, whose coefficients come from the linear relaxation and ignore what the relaxation of
/// unstable neurons loses, this score sees every path through an unstable neuron. It is a heuristic only: no
/// soundness rests on it.
public struct InputGradientSmear: Sendable {
    /// The rule (no settings).
    public init() {}

    /// One score per input coordinate.
    /// - Parameters:
    ///   - objective: output-space rows `c_r` (rows × network outputs).
    ///   - rows: the rows of `objective` to score for.
    ///   - bounds: the node's intermediate bounds (`tensors[i]` bounds the input of layer `i`).
    public func scores(network: Network, box: Box, bounds: IntermediateBounds, splits: SplitSet,
                       objective: Matrix, rows: [Int]) -> [Double] {
        let widths = box.widths
        var total = [Double](repeating: 0, count: box.dimension)
        for row in rows {
            let (center, radius) = gradientInterval(network: network, bounds: bounds, splits: splits,
                                                    output: objective.row(row))
            for j in total.indices { total[j] += (abs(center[j]) + radius[j]) * widths[j] }
        }
        return total
    }

    /// The partial derivatives of `output·f` over the box as center ± radius, input coordinate by coordinate.
    func gradientInterval(network: Network, bounds: IntermediateBounds, splits: SplitSet, output: [Double])
        -> (center: [Double], radius: [Double])
    {
        var c = output
        var r = [Double](repeating: 0, count: output.count)
        for i in stride(from: network.layers.count - 1, through: 0, by: -1) {
            let layer = network.layers[i]
            switch layer {
            case let .dense(d):
                c = d.weights.transposeMultiplied(by: c)
                r = d.weights.absoluteTransposeMultiplied(by: r)
            case let .conv2d(conv):
                c = conv.applyLinearTransposed(c)
                r = conv.absolute.applyLinearTransposed(r)
            case let .convTranspose(t):
                c = t.applyLinearTransposed(c)
                r = t.absolute.applyLinearTransposed(r)
            case let .elementwise(e):
                for k in c.indices {
                    c[k] *= e.scale[k]
                    r[k] *= abs(e.scale[k])
                }
            case .averagePool, .reshape:
                let input = [Double](repeating: 0, count: bounds.tensors[i].dimension)
                c = layer.pullback(at: input, cotangent: c)
                r = layer.pullback(at: input, cotangent: r)
            case let .maxPool(p):
                // The derivative routes to one input of each window: every input of a window may receive the
                // whole interval, or nothing.
                var newRadius = [Double](repeating: 0, count: bounds.tensors[i].dimension)
                for o in 0..<p.outputCount {
                    for k in p.window(of: o).indices { newRadius[k] += abs(c[o]) + r[o] }
                }
                c = [Double](repeating: 0, count: newRadius.count)
                r = newRadius
            case let .softmax(s):
                // The Jacobian diag(y) − y yᵀ has entries of magnitude at most 1/4: each input of a group may
                // receive a quarter of the group's whole interval, of either sign.
                var newRadius = [Double](repeating: 0, count: c.count)
                for start in stride(from: 0, to: c.count, by: s.size) {
                    let group = start..<(start + s.size)
                    let total = group.reduce(0.0) { $0 + abs(c[$1]) + r[$1] }
                    for k in group { newRadius[k] = total / 4 }
                }
                c = [Double](repeating: 0, count: c.count)
                r = newRadius
            case .relu, .sigmoid, .tanh:
                let pre = bounds.tensors[i]
                let maximumSlope = layer == .sigmoid ? 0.25 : 1
                for k in c.indices {
                    let split = layer == .relu ? splits.state(layer: i, neuron: k) : nil
                    if split == true || (layer == .relu && pre.lower[k] >= 0) { continue }
                    if split == false || (layer == .relu && pre.upper[k] <= 0) {
                        c[k] = 0
                        r[k] = 0
                        continue
                    }
                    // The hull of {0} and slope · [c − r, c + r] for slope in [0, maximumSlope].
                    let low = Swift.min(0, (c[k] - r[k]) * maximumSlope)
                    let high = Swift.max(0, (c[k] + r[k]) * maximumSlope)
                    c[k] = (low + high) / 2
                    r[k] = (high - low) / 2
                }
            }
        }
        return (c, r)
    }
}
