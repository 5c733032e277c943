public import Tensor

/// The parameters an alpha-beta-CROWN bound ended with — the ReLU lower slopes `α` and the split multipliers `β`,
/// per objective row — kept so that a sub-problem's optimisation starts from them (warm start, as
/// alpha-beta-CROWN's branch and bound does) instead of from CROWN's adaptive slopes and `β = 0`.
///
/// Any `α ∈ [0, 1]` and `β ≥ 0` give a sound bound, so a warm start can only change how fast the optimisation
/// climbs, never what the bound certifies; ``BoundPropagator/lowerBounds(of:constants:over:intermediate:splits:options:warmStart:)``
/// still projects every value it reads onto that range.
public struct OptimisedSlopes: Sendable {
    /// Number of objective rows.
    public private(set) var rowCount: Int
    /// Per ReLU layer with free slopes: `rows × neurons` lower slopes (meaningful at the unstable neurons only).
    var alpha: [Int: Matrix]
    /// Per split neuron: its multiplier for each row.
    var beta: [NeuronID: [Double]]

    init(rowCount: Int, alpha: [Int: Matrix], beta: [NeuronID: [Double]]) {
        self.rowCount = rowCount
        self.alpha = alpha
        self.beta = beta
    }

    /// The same parameters for the objective made of `rows` (indices into this objective's rows, in order).
    public func selectingRows(_ rows: [Int]) -> OptimisedSlopes {
        precondition(rows.allSatisfy { $0 >= 0 && $0 < rowCount }, "row out of range")
        return OptimisedSlopes(
            rowCount: rows.count, alpha: alpha.mapValues { $0.selectingRows(rows) },
            beta: beta.mapValues { values in rows.map { values[$0] } })
    }

    /// The slopes of `layer` as a starting point of shape `like`, or nil when the layer is absent or its shape
    /// differs.
    func slopes(layer: Int, like start: Matrix) -> Matrix? {
        guard var a = alpha[layer], a.rows == start.rows, a.columns == start.columns else { return nil }
        for i in a.storage.indices { a.storage[i] = Swift.min(1, Swift.max(0, a.storage[i].isFinite ? a.storage[i] : 0)) }
        return a
    }

    /// The multiplier of `neuron` for row `row` (0 when the neuron was not split where these were optimised).
    func multiplier(of neuron: NeuronID, row: Int) -> Double {
        guard let values = beta[neuron], row < values.count, values[row].isFinite else { return 0 }
        return Swift.max(0, values[row])
    }
}

/// The slopes and multipliers that gave each row's best bound so far, during an alpha-CROWN optimisation.
struct SlopeTracker {
    private var alpha: [Int: Matrix]
    private var beta: [Int: SplitMultipliers]
    private let rows: Int

    init(alpha: [Int: Matrix], beta: [Int: SplitMultipliers], rows: Int) {
        self.alpha = alpha
        self.beta = beta
        self.rows = rows
    }

    /// Takes the parameters of `improved` rows from the current iterate.
    mutating func record(rows improved: [Int], alpha current: [Int: Matrix], beta currentBeta: [Int: SplitMultipliers]) {
        guard !improved.isEmpty else { return }
        for (k, a) in current { alpha[k]!.copyRows(improved, from: a) }
        for (k, b) in currentBeta { beta[k]!.values.copyRows(improved, from: b.values) }
    }

    /// The recorded parameters, multipliers keyed by neuron.
    var slopes: OptimisedSlopes {
        var multipliers: [NeuronID: [Double]] = [:]
        for (k, b) in beta {
            for (t, j) in b.neurons.enumerated() {
                multipliers[NeuronID(layer: k, neuron: j)] = (0..<rows).map { b.values[$0, t] }
            }
        }
        return OptimisedSlopes(rowCount: rows, alpha: alpha, beta: multipliers)
    }
}

extension Matrix {
    /// Copies rows `rows` of `source` (same shape) into this matrix.
    fileprivate mutating func copyRows(_ rows: [Int], from source: Matrix) {
        let n = columns
        for r in rows { storage.replaceSubrange((r * n)..<((r + 1) * n), with: source.storage[(r * n)..<((r + 1) * n)]) }
    }
}
