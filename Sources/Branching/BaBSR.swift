import Bounds
import Network

/// BaBSR (Bunel et al. 2020, "Branch and bound for piecewise linear neural network verification"): estimates how
/// much splitting an unstable ReLU raises the node's lower bound from the back-substituted coefficients.
///
/// For neuron `j` with pre-activation bounds `[l, u]`, chord slope `s = u/(u − l)` and intercept `t = −l·s`, `λ` its
/// coefficient on the ReLU output in the lower-bound back-substitution (summed over the context's rows) and `b`
/// the bias of the affine layer feeding it:
/// `score = | max(−λ·s·b, λ·(1 − s)·b) + max(−λ, 0)·t |` — the larger change of the bias contribution over the two
/// children plus the chord intercept that a split removes (a negative `λ` pays `λ·t` through the upper chord).
/// The second term alone is the "intercept score" (``interceptScores(_:candidates:)``).
public struct BaBSR: BranchingHeuristic {
    /// The heuristic (no settings).
    public init() {}

    public func scores(_ context: BranchingContext, candidates: [ReLUNeuron]) -> [Double] {
        terms(context, candidates: candidates).map { abs(max(-$0.lambda * $0.slope * $0.bias,
                                                              $0.lambda * (1 - $0.slope) * $0.bias) + $0.intercept) }
    }

    /// The intercept part of the score, `max(−λ, 0)·t`.
    public func interceptScores(_ context: BranchingContext, candidates: [ReLUNeuron]) -> [Double] {
        terms(context, candidates: candidates).map(\.intercept)
    }

    private struct Terms {
        var lambda: Double
        var slope: Double
        var bias: Double
        var intercept: Double
    }

    private func terms(_ context: BranchingContext, candidates: [ReLUNeuron]) -> [Terms] {
        var biases: [Int: [Double]] = [:]
        return candidates.map { c in
            let t = context.intermediate.tensors[c.layer]
            let l = t.lower[c.neuron], u = t.upper[c.neuron]
            let slope = u / (u - l)
            let coefficients = context.bound.reluCoefficients[c.layer]
            let lambda = context.rows.reduce(0.0) { $0 + (coefficients?[$1, c.neuron] ?? 0) }
            if biases[c.layer] == nil { biases[c.layer] = Self.bias(feeding: c.layer, in: context.propagator.network) }
            let bias = biases[c.layer]![c.neuron]
            return Terms(lambda: lambda, slope: slope, bias: bias, intercept: max(-lambda, 0) * (-l * slope))
        }
    }

    /// The bias of the affine layer right before layer `layer` (zeros when there is none).
    static func bias(feeding layer: Int, in network: Network) -> [Double] {
        let count = network.inputShape(ofLayer: layer).reduce(1, *)
        guard layer > 0 else { return [Double](repeating: 0, count: count) }
        switch network.layers[layer - 1] {
        case let .dense(d): return d.bias
        case let .conv2d(c): return c.expandedBias
        case let .elementwise(e): return e.shift
        default: return [Double](repeating: 0, count: count)
        }
    }
}
