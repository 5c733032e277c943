import Tensor

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
    /// Per ReLU layer with free slopes: the slopes of its unstable neurons only (a frontier holds one of these per
    /// pair of children, so stable neurons' columns, which no bound reads, are not kept).
    var alpha: [Int: LayerSlopes]
    /// Per split neuron: its multiplier for each row.
    var beta: [NeuronID: [Double]]

    init(rowCount: Int, alpha: [Int: LayerSlopes], beta: [NeuronID: [Double]]) {
        self.rowCount = rowCount
        self.alpha = alpha
        self.beta = beta
    }

    /// The same parameters for the objective made of `rows` (indices into this objective's rows, in order).
    public func selectingRows(_ rows: [Int]) -> OptimisedSlopes {
        precondition(rows.allSatisfy { $0 >= 0 && $0 < rowCount }, "row out of range")
        return OptimisedSlopes(
            rowCount: rows.count,
            alpha: alpha.mapValues { $0.selectingRows(rows) },
            beta: beta.mapValues { values in rows.map { values[$0] } })
    }

    /// `start` (a layer's `rows × neurons` starting slopes) with the kept slopes of `layer` written over it, each
    /// projected onto `[0, 1]` (a non-finite one read as 0); `start` itself when the layer is absent or its row
    /// count differs.
    func slopes(layer: Int, over start: Matrix) -> Matrix {
        guard let kept = alpha[layer], kept.rows == start.rows else { return start }
        var a = start
        for (t, j) in kept.neurons.enumerated() where j < a.columns {
            for r in 0..<a.rows {
                let v = Double(kept[r, t])
                a[r, j] = Swift.min(1, Swift.max(0, v.isFinite ? v : 0))
            }
        }
        return a
    }

    /// The multiplier of `neuron` for row `row` (0 when the neuron was not split where these were optimised).
    func multiplier(of neuron: NeuronID, row: Int) -> Double {
        guard let values = beta[neuron], row < values.count, values[row].isFinite else { return 0 }
        return Swift.max(0, values[row])
    }
}

/// The lower slopes one ReLU layer's unstable neurons ended with, `rows × neurons.count` row-major in Float32: a
/// warm start needs no more precision (any slope in `[0, 1]` is sound), and a search's frontier holds one of
/// these per pair of children, so half the memory counts.
struct LayerSlopes: Sendable {
    var neurons: [Int]
    var rows: Int
    var values: [Float]

    init(neurons: [Int], rows: Int, values: [Float]) {
        precondition(values.count == rows * neurons.count, "slopes size")
        self.neurons = neurons
        self.rows = rows
        self.values = values
    }

    /// The slope of row `r` for the `t`-th kept neuron.
    subscript(r: Int, t: Int) -> Float { values[r * neurons.count + t] }

    /// The same slopes for `rows` (indices, in order).
    func selectingRows(_ selected: [Int]) -> LayerSlopes {
        let n = neurons.count
        return LayerSlopes(neurons: neurons, rows: selected.count, values: selected.flatMap { values[($0 * n)..<(($0 + 1) * n)] })
    }
}

/// The slopes and multipliers that gave each row's best bound so far, during an alpha-CROWN optimisation.
struct SlopeTracker {
    private var alpha: [Int: Matrix]
    private var beta: [Int: SplitMultipliers]
    private let rows: Int
    /// Per layer of `alpha`, its free (unstable) neurons: the columns ``slopes`` keeps.
    private let free: [Int: [Int]]

    init(alpha: [Int: Matrix], beta: [Int: SplitMultipliers], rows: Int, free: [Int: [Int]]) {
        self.alpha = alpha
        self.beta = beta
        self.rows = rows
        self.free = free
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
        var kept: [Int: LayerSlopes] = [:]
        for (k, a) in alpha {
            let neurons = free[k] ?? Array(0..<a.columns)
            var values = [Float]()
            values.reserveCapacity(rows * neurons.count)
            for r in 0..<rows { for j in neurons { values.append(Float(a[r, j])) } }
            kept[k] = LayerSlopes(neurons: neurons, rows: rows, values: values)
        }
        return OptimisedSlopes(rowCount: rows, alpha: kept, beta: multipliers)
    }
}

extension Matrix {
    /// Copies rows `rows` of `source` (same shape) into this matrix.
    fileprivate mutating func copyRows(_ rows: [Int], from source: Matrix) {
        let n = columns
        for r in rows { storage.replaceSubrange((r * n)..<((r + 1) * n), with: source.storage[(r * n)..<((r + 1) * n)]) }
    }
}
