import Network
import Tensor

/// The linear part of a run of consecutive affine layers, applied matrix-free.
///
/// Dense and elementwise layers fold into one dense matrix (BLAS products); a (transposed) convolution or average pooling
/// keeps the run as a chain of operators with forward and adjoint products, materialised as a dense matrix only
/// when a closed-form step or the certification needs the blocks.
struct AffineOperator: Sendable {
    enum Step: Sendable {
        case dense(Matrix)
        case conv(Conv2D)
        case convTranspose(ConvTranspose2D)
        case averagePool(Pool2D)
    }

    /// Steps applied in order (the first step acts on the input).
    private(set) var steps: [Step]
    /// Input dimension.
    let inputCount: Int
    /// Output dimension.
    private(set) var outputCount: Int

    /// The identity on ℝⁿ.
    init(identity n: Int) {
        steps = []
        inputCount = n
        outputCount = n
    }

    /// The dense matrix `m` as an operator.
    init(dense m: Matrix) {
        steps = [.dense(m)]
        inputCount = m.columns
        outputCount = m.rows
    }

    /// Appends the linear part of an affine layer acting on the current output.
    mutating func append(_ layer: Layer) {
        switch layer {
        case let .dense(d):
            if case let .dense(m)? = steps.last {
                steps[steps.count - 1] = .dense(d.weights.multiplied(by: m))
            } else if steps.isEmpty {
                steps = [.dense(d.weights)]
            } else {
                steps.append(.dense(d.weights))
            }
            outputCount = d.weights.rows
        case let .elementwise(e):
            let matrix = dense ?? (steps.isEmpty ? Matrix.identity(outputCount) : nil)
            if var m = matrix, steps.count <= 1 {
                for r in 0..<m.rows { for c in 0..<m.columns { m[r, c] *= e.scale[r] } }
                steps = [.dense(m)]
            } else {
                var d = Matrix(rows: outputCount, columns: outputCount)
                for i in 0..<outputCount { d[i, i] = e.scale[i] }
                steps.append(.dense(d))
            }
        case let .conv2d(c):
            steps.append(.conv(c))
            outputCount = c.outputCount
        case let .convTranspose(t):
            steps.append(.convTranspose(t))
            outputCount = t.outputCount
        case let .averagePool(p):
            steps.append(.averagePool(p))
            outputCount = p.outputCount
        case .reshape, .relu, .sigmoid, .tanh, .softmax, .maxPool:
            break
        }
    }

    /// The single dense matrix when the operator is one (or the identity when empty); nil for operator chains.
    var dense: Matrix? {
        if steps.count == 1, case let .dense(m) = steps[0] { return m }
        return nil
    }

    /// `A x`.
    func apply(_ x: [Double]) -> [Double] {
        steps.reduce(x) { v, step in
            switch step {
            case let .dense(m): m.multiplied(by: v)
            case let .conv(c): c.applyLinear(v)
            case let .convTranspose(t): t.applyLinear(v)
            case let .averagePool(p): Self.pool(p, v)
            }
        }
    }

    /// `Aᵀ y`.
    func applyTransposed(_ y: [Double]) -> [Double] {
        steps.reversed().reduce(y) { v, step in
            switch step {
            case let .dense(m): m.transposeMultiplied(by: v)
            case let .conv(c): c.applyLinearTransposed(v)
            case let .convTranspose(t): t.applyLinearTransposed(v)
            case let .averagePool(p): Self.poolTransposed(p, v)
            }
        }
    }

    /// The operator as an explicit `outputCount × inputCount` matrix (rows built by adjoint products).
    func materialized() -> Matrix {
        if let m = dense { return m }
        if steps.isEmpty { return Matrix.identity(inputCount) }
        var out = Matrix(rows: outputCount, columns: inputCount)
        var unit = [Double](repeating: 0, count: outputCount)
        for r in 0..<outputCount {
            unit[r] = 1
            let row = applyTransposed(unit)
            unit[r] = 0
            out.storage.replaceSubrange((r * inputCount)..<((r + 1) * inputCount), with: row)
        }
        return out
    }

    private static func pool(_ p: Pool2D, _ x: [Double]) -> [Double] {
        (0..<p.outputCount).map { o in
            let w = p.window(of: o)
            return w.indices.reduce(0) { $0 + x[$1] } / Double(w.divisor)
        }
    }

    private static func poolTransposed(_ p: Pool2D, _ y: [Double]) -> [Double] {
        var x = [Double](repeating: 0, count: p.channels * p.inputHeight * p.inputWidth)
        for o in 0..<p.outputCount {
            let w = p.window(of: o)
            for k in w.indices { x[k] += y[o] / Double(w.divisor) }
        }
        return x
    }
}
