import Tensor

/// One stage of a network in normal form: an affine map `y = W x + b` followed by one activation (or none, for
/// the last stage).
///
/// Every network is a chain of stages: consecutive affine layers (dense, convolution, elementwise, average
/// pooling, reshape) compose into one dense matrix, and each ReLU/sigmoid/tanh/softmax or max pool closes a
/// stage (a max pool right after an activation closes a stage of its own, whose affine map is the identity).
/// Product networks are combined stage by stage (see ``Network/sideBySide(_:inputCount:inputs:)``).
struct NetworkStage: Sendable {
    /// `outputs × inputs`, row-major.
    var weights: Matrix
    /// One per output.
    var bias: [Double]
    /// `.relu`, `.sigmoid`, `.tanh`, `.softmax`, `.maxPool` (reading the `outputs` as its `[C, H, W]` tensor),
    /// or nil when the stage ends the network.
    var activation: Layer?
    /// True when the affine map is the identity (`weights` is `I`, `bias` is 0): a product network omits it.
    var isIdentity = false

    /// Number of outputs of the affine map.
    var outputCount: Int { weights.rows }

    /// Stages of `network` in order; the last one has no activation. Throws for affine compositions with more
    /// than `limit` matrix entries.
    static func stages(of network: Network, index: Int, limit: Int) throws(NetworkError) -> [NetworkStage] {
        var stages: [NetworkStage] = []
        var pending = AffineAccumulator(width: network.inputCount)
        for (position, layer) in network.layers.enumerated() {
            switch layer {
            case .relu, .sigmoid, .tanh, .softmax, .maxPool:
                stages.append(pending.stage(activation: layer))
                pending = AffineAccumulator(width: network.layerShapes[position].reduce(1, *))
            default:
                try pending.append(layer, layerIndex: position, limit: limit)
            }
        }
        stages.append(pending.stage(activation: nil))
        return stages
    }

    /// `stages` (ending in an affine stage without activation, all activations ReLU) lengthened to
    /// `activationCount` ReLU stages by passing the output `y` through identity stages `y = relu(y) − relu(−y)`:
    /// the last affine map is doubled to rows `[W; −W]`, each added stage maps `(p, q) ↦ (p − q, q − p)`, and
    /// the new last stage is `[I, −I]`.
    static func padded(_ stages: [NetworkStage], toActivations activationCount: Int) -> [NetworkStage] {
        let missing = activationCount - (stages.count - 1)
        guard missing > 0, let last = stages.last else { return stages }
        let n = last.outputCount
        var out = Array(stages.dropLast())
        out.append(
            NetworkStage(
                weights: last.weights.stacked(over: last.weights.negated), bias: last.bias + last.bias.map { -$0 },
                activation: .relu))
        let identity = Matrix.identity(n)
        let pass = identity.beside(identity.negated).stacked(over: identity.negated.beside(identity))
        for _ in 1..<missing {
            out.append(NetworkStage(weights: pass, bias: [Double](repeating: 0, count: 2 * n), activation: .relu))
        }
        out.append(
            NetworkStage(
                weights: identity.beside(identity.negated), bias: [Double](repeating: 0, count: n), activation: nil))
        return out
    }
}

/// A composition of affine layers `x ↦ W x + b`, with `W` nil while the composition is still the identity.
private struct AffineAccumulator {
    var width: Int
    var weights: Matrix?
    var bias: [Double]

    init(width: Int) {
        self.width = width
        self.weights = nil
        self.bias = [Double](repeating: 0, count: width)
    }

    /// The stage made of this map and `activation` (the identity matrix when no affine layer was seen).
    func stage(activation: Layer?) -> NetworkStage {
        NetworkStage(weights: weights ?? .identity(width), bias: bias, activation: activation,
                     isIdentity: weights == nil && bias.allSatisfy { $0 == 0 })
    }

    /// Composes `layer` (affine) after the map so far.
    mutating func append(_ layer: Layer, layerIndex: Int, limit: Int) throws(NetworkError) {
        switch layer {
        case let .dense(d):
            try compose(d, layerIndex: layerIndex, limit: limit)
        case let .conv2d(c):
            try Self.check(rows: c.outputCount, columns: c.inputCount, layerIndex: layerIndex, limit: limit)
            try compose(c.denseEquivalent(), layerIndex: layerIndex, limit: limit)
        case let .convTranspose(t):
            try Self.check(rows: t.outputCount, columns: t.inputCount, layerIndex: layerIndex, limit: limit)
            try compose(t.denseEquivalent(), layerIndex: layerIndex, limit: limit)
        case let .averagePool(p):
            try Self.check(rows: p.outputCount, columns: width, layerIndex: layerIndex, limit: limit)
            try compose(Self.dense(p, inputCount: width), layerIndex: layerIndex, limit: limit)
        case let .elementwise(e):
            scale(e)
        default:
            break  // reshape keeps the row-major order
        }
    }

    private mutating func compose(_ d: Dense, layerIndex: Int, limit: Int) throws(NetworkError) {
        try Self.check(rows: d.outputCount, columns: weights?.columns ?? width, layerIndex: layerIndex, limit: limit)
        var b = d.weights.multiplied(by: bias)
        for i in b.indices { b[i] += d.bias[i] }
        weights = weights.map { d.weights.multiplied(by: $0) } ?? d.weights
        bias = b
        width = d.outputCount
    }

    private mutating func scale(_ e: ElementwiseAffine) {
        var w = weights ?? .identity(width)
        let columns = w.columns
        for i in 0..<width {
            for c in 0..<columns { w.storage[i * columns + c] *= e.scale[i] }
            bias[i] = e.scale[i] * bias[i] + e.shift[i]
        }
        weights = w
    }

    private static func dense(_ p: Pool2D, inputCount: Int) -> Dense {
        var m = Matrix(rows: p.outputCount, columns: inputCount)
        for out in 0..<p.outputCount {
            let window = p.window(of: out)
            for k in window.indices { m[out, k] += 1 / Double(window.divisor) }
        }
        return Dense(weights: m, bias: [Double](repeating: 0, count: p.outputCount))
    }

    private static func check(rows: Int, columns: Int, layerIndex: Int, limit: Int) throws(NetworkError) {
        let (entries, overflow) = rows.multipliedReportingOverflow(by: columns)
        if !overflow, entries <= limit { return }
        throw .invalidShape(
            layer: layerIndex, shape: [rows, columns],
            reason: "a product network needs this \(rows) × \(columns) dense matrix, more than the limit of "
                + "\(limit) entries")
    }
}

extension Layer {
    /// The layer as a product network aligns it: max pools by their window geometry alone (their channel counts
    /// add up in the product), everything else as itself.
    var stageKey: Layer {
        guard case var .maxPool(pool) = self else { return self }
        pool.channels = 0
        return .maxPool(pool)
    }
}
