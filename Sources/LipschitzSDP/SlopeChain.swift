import Network
import Tensor

/// A network seen as `y = W_K φ(… φ(W_0 x + b_0) …) + b_K`: affine operators `W_0 … W_K` separated by
/// elementwise activations whose neurons are slope-restricted, neuron `k` of activation layer `i` in
/// `[alpha[i][k], beta[i][k]]` with `0 ≤ alpha ≤ beta`.
///
/// Biases drop out of every Lipschitz bound, so only the linear parts are kept.
struct SlopeChain: Sendable {
    /// `operators[i]` maps the output of activation layer `i − 1` (or the input, for `i = 0`) to the
    /// pre-activations of activation layer `i`; the last one maps to the output.
    var operators: [AffineOperator]
    /// Lower slopes, one array per activation layer.
    var alpha: [[Double]]
    /// Upper slopes, one array per activation layer.
    var beta: [[Double]]

    /// Number of activation layers K.
    var hiddenLayerCount: Int { alpha.count }
    /// Widths `n_0 … n_K` (input, then each activation layer).
    var widths: [Int] { [operators[0].inputCount] + alpha.map(\.count) }

    /// A chain from its parts.
    init(operators: [AffineOperator], alpha: [[Double]], beta: [[Double]]) {
        self.operators = operators
        self.alpha = alpha
        self.beta = beta
    }

    /// The global slope chain of `network`.
    /// - Throws: ``LipschitzError/unsupportedLayer(layer:kind:)`` for max pooling and softmax (the analyzer
    ///   takes an output softmax off first).
    init(network: Network) throws {
        var ops: [AffineOperator] = []
        var alpha: [[Double]] = []
        var beta: [[Double]] = []
        var current = AffineOperator(identity: network.inputCount)
        for (index, layer) in network.layers.enumerated() {
            let slope: Double
            switch layer {
            case .relu, .tanh: slope = 1
            case .sigmoid: slope = 0.25
            case .maxPool, .softmax: throw LipschitzError.unsupportedLayer(layer: index, kind: layer.kindName)
            default:
                current.append(layer)
                continue
            }
            let n = current.outputCount
            ops.append(current)
            alpha.append([Double](repeating: 0, count: n))
            beta.append([Double](repeating: slope, count: n))
            current = AffineOperator(identity: n)
        }
        ops.append(current)
        self.operators = ops
        self.alpha = alpha
        self.beta = beta
    }

    /// The same chain with slopes intersected with `[lower, upper]` per neuron (local analysis).
    func restricted(alpha lower: [[Double]], beta upper: [[Double]]) throws -> SlopeChain {
        let expected = alpha.map(\.count)
        guard lower.map(\.count) == expected, upper.map(\.count) == expected else {
            throw LipschitzError.slopeShapeMismatch(expected: expected, found: upper.map(\.count))
        }
        var out = self
        for i in alpha.indices {
            for k in alpha[i].indices {
                let b = min(beta[i][k], max(0, upper[i][k]))
                out.beta[i][k] = b
                out.alpha[i][k] = min(b, max(alpha[i][k], lower[i][k]))
            }
        }
        return out
    }

    /// The same chain without the neurons whose slope is exactly zero (stably inactive ReLUs in a local
    /// analysis): their outputs are constant, so dropping them — the rows of the operator before and the columns
    /// of the operator after — leaves the Lipschitz constant unchanged and removes the degenerate zero blocks
    /// that stall the first-order solver. A layer keeps at least one neuron. Operators that lose rows or
    /// columns are materialised as dense matrices; the others keep their structure.
    func withoutInactiveNeurons() -> SlopeChain {
        let kept = beta.map { layer -> [Int] in
            let live = layer.indices.filter { layer[$0] > 0 }
            return live.isEmpty ? [0] : live
        }
        guard zip(kept, beta).contains(where: { $0.count < $1.count }) else { return self }
        var out = self
        for i in operators.indices {
            let rowsPruned = i < kept.count && kept[i].count < beta[i].count
            let columnsPruned = i > 0 && kept[i - 1].count < beta[i - 1].count
            guard rowsPruned || columnsPruned else { continue }
            var m = operators[i].materialized()
            if rowsPruned { m = m.selectingRows(kept[i]) }
            if columnsPruned {
                let columns = kept[i - 1]
                var pruned = Matrix(rows: m.rows, columns: columns.count)
                for r in 0..<m.rows { for (c, source) in columns.enumerated() { pruned[r, c] = m[r, source] } }
                m = pruned
            }
            out.operators[i] = AffineOperator(dense: m)
        }
        for i in kept.indices {
            out.alpha[i] = kept[i].map { alpha[i][$0] }
            out.beta[i] = kept[i].map { beta[i][$0] }
        }
        return out
    }

    /// Dense weights with the upper slopes folded into the following layer's columns
    /// (`W_i ← W_i diag(β_i)`), so that every activation can be treated as slope-restricted in [0, 1].
    /// Valid for the naive and compositional bounds since `[α, β] ⊆ [0, β]`.
    func slopeFoldedMatrices() -> [Matrix] {
        operators.enumerated().map { i, op in
            var m = op.materialized()
            if i > 0 {
                let b = beta[i - 1]
                if b.contains(where: { $0 != 1 }) {
                    for r in 0..<m.rows { for c in 0..<m.columns { m[r, c] *= b[c] } }
                }
            }
            return m
        }
    }
}
