import Tensor

extension BoundPropagator {
    /// Tightens the listed neurons of the tensor entering layer `end` by alpha-CROWN: the lower slopes of every
    /// earlier ReLU layer are optimised per bound (one row for each neuron's lower bound and one for its upper
    /// bound), starting from CROWN's adaptive slopes, by projected Adam ascent on the bound. Each iterate is a
    /// sound bound for any slopes in `[0, 1]` (CROWN's argument), so every row keeps the best it reaches and `t` is
    /// only intersected with it. Used by ``intermediateBounds(over:splits:method:reusing:fromLayer:)`` with
    /// ``BoundMethod/alphaCrown`` (issue 12: optimised intermediate bounds at the root, which every node inherits).
    ///
    /// The rows are independent (each keeps its own slopes, Adam moments and best value), so the neurons are
    /// optimised in chunks whose matrices fit `options.slopeMemoryBudget`: the same bounds (up to BLAS rounding of
    /// products of another height), with memory bounded on wide networks instead of growing with the number of
    /// unstable neurons.
    func tightenWithOptimisedSlopes(
        _ t: inout Box, neurons: [Int], end: Int, inputBox: Box, context: BackSubstitutionContext,
        options: BoundOptions
    ) {
        let chunk = slopeChunk(rowsPerNeuron: 2, end: end, budget: options.slopeMemoryBudget)
        for start in stride(from: 0, to: neurons.count, by: chunk) {
            tightenChunk(&t, neurons: Array(neurons[start..<Swift.min(start + chunk, neurons.count)]), end: end,
                         inputBox: inputBox, context: context, options: options)
        }
    }

    /// How many problems of `rowsPerProblem` objective rows each (branch-and-bound nodes) one batched
    /// alpha-CROWN optimisation through the whole network holds within `budget` bytes (the estimate of
    /// ``slopeChunk(rowsPerNeuron:end:budget:)``); at least one.
    public func batchCapacity(rowsPerProblem: Int, budget: Int) -> Int {
        slopeChunk(rowsPerNeuron: rowsPerProblem, end: rules.count, budget: budget)
    }

    /// The most neurons whose rows (`rowsPerNeuron` each) fit `budget` bytes in the optimisation of the bounds
    /// entering layer `end`: per row, the back-substitution's coefficients at every earlier tensor, the slopes and
    /// their two Adam moments at every earlier ReLU (estimated as 8 bytes × 4 × the widths: the budget bounds the
    /// chunk's share, not the process's memory). At least one.
    func slopeChunk(rowsPerNeuron: Int, end: Int, budget: Int) -> Int {
        let widths = (0..<end).reduce(0) { $0 + network.inputShape(ofLayer: $1).reduce(1, *) }
        let rowBytes = 8 * 4 * Swift.max(widths, 1)
        return Swift.max(1, budget / (rowBytes * rowsPerNeuron))
    }

    private func tightenChunk(
        _ t: inout Box, neurons: [Int], end: Int, inputBox: Box, context: BackSubstitutionContext,
        options: BoundOptions
    ) {
        let c = neurons.count, n = t.dimension
        let layers = reluLayers.filter { $0 < end && !(context.relaxations[$0]?.freeSlopes.isEmpty ?? true) }
        guard c > 0, !layers.isEmpty, options.alphaIterations > 0 else { return }
        let lambda = Self.boundRows(of: neurons, dimension: n)
        var alpha = initialSlopes(rows: 2 * c, layers: layers, context: context)
        let constants = [Double](repeating: 0, count: 2 * c)
        var adam = ProjectedAdamAscent(alpha, learningRate: options.alphaLearningRate, upperLimit: 1, options: options)
        var pass = backSubstitute(lambda, constants: constants, end: end, inputBox: inputBox, context: context,
                                  alpha: alpha, record: true)
        var best = pass.lower
        for _ in 0..<options.alphaIterations {
            let gradient = alphaGradient(of: pass, inputBox: inputBox, context: context, alpha: alpha)
            adam.ascend(&alpha, gradient: gradient.alpha)
            pass = backSubstitute(lambda, constants: constants, end: end, inputBox: inputBox, context: context,
                                  alpha: alpha, record: true)
            for r in 0..<(2 * c) where pass.lower[r] > best[r] { best[r] = pass.lower[r] }
        }
        for (r, j) in neurons.enumerated() {
            t.lower[j] = Swift.max(t.lower[j], best[r])
            t.upper[j] = Swift.min(t.upper[j], -best[c + r])
        }
    }

    /// The `2c × n` rows of `c` neurons' bounds: `+e_j` (its lower bound) for each, then `−e_j` (minus its upper).
    static func boundRows(of neurons: [Int], dimension n: Int) -> Matrix {
        let c = neurons.count
        var lambda = Matrix(rows: 2 * c, columns: n)
        for (r, j) in neurons.enumerated() {
            lambda.storage[r * n + j] = 1
            lambda.storage[(c + r) * n + j] = -1
        }
        return lambda
    }

    /// alpha-CROWN's starting point: per listed ReLU layer, `rows ×` neurons slopes, CROWN's adaptive lower slope
    /// at each free (unstable) neuron of the layer's relaxation in `context`.
    func initialSlopes(rows: Int, layers: [Int], context: BackSubstitutionContext) -> [Int: Matrix] {
        var alpha: [Int: Matrix] = [:]
        for k in layers {
            let relaxation = context.relaxations[k]!
            var a = Matrix(rows: rows, columns: relaxation.outputCount)
            for r in 0..<rows { for j in relaxation.freeSlopes { a[r, j] = relaxation.lowerSlope[j] } }
            alpha[k] = a
        }
        return alpha
    }
}
