import Tensor

/// What back-substitution needs from the bounds of the layers it passes: relaxations of nonlinear layers and
/// magnitudes for the soundness margin. Built layer by layer as tensor bounds become final.
struct BackSubstitutionContext: Sendable {
    /// Relaxation of each nonlinear layer.
    var relaxations: [Int: Relaxation] = [:]
    /// For affine layer `i`: `|A_i|·B_i + |b_i|`, where `B_i` bounds `|input of layer i|`.
    var affineMagnitudes: [Int: [Double]] = [:]
    /// For nonlinear layer `i` and for the network input (key 0 too): `B_i = max(|l|, |u|)` of the input.
    var inputMagnitudes: [Int: [Double]] = [:]
    /// For each softmax layer: its group size and the interval of its output (``SoftmaxGroupShift``).
    var softmaxOutputs: [Int: SoftmaxGroupShift] = [:]

    /// Records layer `index`, whose input is bounded by `input`.
    mutating func add(layer index: Int, input: Box, propagator: BoundPropagator) {
        let magnitude = zip(input.lower, input.upper).map { Swift.max(Swift.abs($0), Swift.abs($1)) }
        switch propagator.rules[index] {
        case let .affine(rule):
            let v = rule.absoluteForward(magnitude)
            let b = rule.bias
            affineMagnitudes[index] = (0..<v.count).map { v[$0] + Swift.abs(b[$0]) }
            if index == 0 { inputMagnitudes[0] = magnitude }
        case let .nonlinear(rule):
            relaxations[index] = rule.relaxation(for: input, margins: propagator.margins)
            inputMagnitudes[index] = magnitude
            if let softmax = rule as? SoftmaxBoundRule {
                softmaxOutputs[index] = SoftmaxGroupShift(
                    size: softmax.softmax.size, output: softmax.interval(input, margins: propagator.margins))
            }
        }
    }
}

/// beta-CROWN multipliers of the split constraints of one ReLU layer (Wang et al. 2021, "Beta-CROWN: efficient
/// bound propagation with per-neuron split constraints for complete and incomplete neural network verification").
///
/// A split `σ·z_j ≥ 0` (`σ = +1` active, `−1` inactive) on the pre-activation `z` is added to the bound as the
/// Lagrangian term `−β·σ·z_j` with `β ≥ 0`: it is `≤ 0` wherever the split holds, so the minimum of the objective
/// plus the term over the relaxation still bounds the objective from below on the split region.
struct SplitMultipliers: Sendable {
    /// Split neurons of the layer.
    var neurons: [Int]
    /// `σ` of each split neuron.
    var signs: [Double]
    /// `rows × neurons.count` multipliers `β ≥ 0`.
    var values: Matrix
}

/// The outcome of one back-substitution of `Λ·(tensor entering layer end) + constants` to the input.
struct BackSubstitutionPass: Sendable {
    /// Certified lower bound per row (widened; −∞ where not finite).
    var lower: [Double]
    /// `Λ₀`, the coefficients on the network input, `rows × inputCount`.
    var inputLambda: Matrix
    /// Constants of the linear lower bound.
    var constants: [Double]
    /// `Λ` on the output of each layer passed (only when recorded).
    var lambdas: [Int: Matrix]
}

/// One problem of a batched back-substitution: its rows and constants, the bounds context of its region, and its
/// slopes and split multipliers. Blocks of one batch share the network (its weights), not their bounds.
struct BackSubstitutionBlock: Sendable {
    /// `Λ` on the tensor entering the pass's end layer.
    var lambda: Matrix
    /// Per-row constants.
    var constants: [Double]
    /// The block's input region.
    var inputBox: Box
    /// Relaxations and magnitudes of the block's bounds.
    var context: BackSubstitutionContext
    /// Per ReLU layer, `rows × neurons` lower slopes (read at unstable neurons); absent layers use the adaptive
    /// default.
    var alpha: [Int: Matrix] = [:]
    /// Per ReLU layer, the split multipliers (beta-CROWN); absent layers add no split term.
    var beta: [Int: SplitMultipliers] = [:]
}

extension BoundPropagator {
    /// Back-substitutes the lower bound of `lambda·z + constants`, where `z` is the tensor entering layer `end`,
    /// through layers `end−1 … 0`, and concretises it over `inputBox`.
    ///
    /// - Parameters:
    ///   - alpha: per ReLU layer, `rows × neurons` lower slopes (read at unstable neurons); absent layers use the
    ///     adaptive default.
    ///   - beta: per ReLU layer, the split multipliers (beta-CROWN); absent layers add no split term.
    ///   - record: keep `Λ` on every layer's output (for alpha gradients and BaBSR coefficients).
    /// - Complexity: one GEMM per dense layer (`rows × out × in`), one transposed convolution per row per conv.
    func backSubstitute(
        _ lambda: Matrix, constants: [Double], end: Int, inputBox: Box, context: BackSubstitutionContext,
        alpha: [Int: Matrix] = [:], beta: [Int: SplitMultipliers] = [:], record: Bool = false
    ) -> BackSubstitutionPass {
        let block = BackSubstitutionBlock(
            lambda: lambda, constants: constants, inputBox: inputBox, context: context, alpha: alpha, beta: beta)
        return backSubstitute([block], end: end, record: record)[0]
    }

    /// ``backSubstitute(_:constants:end:inputBox:context:alpha:beta:record:)`` of several blocks at once: every
    /// affine layer multiplies all blocks' rows stacked in one product (one GEMM instead of one per block, so
    /// BLAS packs the layer's weights once for the batch), every nonlinear layer applies each block's own
    /// relaxation to its rows. Each block's result is the one it would get alone.
    func backSubstitute(_ blocks: [BackSubstitutionBlock], end: Int, record: Bool = false) -> [BackSubstitutionPass] {
        var lams = blocks.map(\.lambda)
        var constant = blocks.map(\.constants)
        var magnitude = blocks.map { $0.constants.map { Swift.abs($0) } }
        var lambdas = [[Int: Matrix]](repeating: [:], count: blocks.count)
        for i in stride(from: end - 1, through: 0, by: -1) {
            for b in blocks.indices {
                blocks[b].context.softmaxOutputs[i]?.shift(&lams[b], constant: &constant[b], magnitude: &magnitude[b])
            }
            if record { for b in blocks.indices { lambdas[b][i] = lams[b] } }
            switch rules[i] {
            case let .affine(rule):
                let bias = rule.bias
                for b in blocks.indices {
                    Self.addBiasTerms(lams[b], bias: bias, magnitudes: blocks[b].context.affineMagnitudes[i]!,
                                      constant: &constant[b], magnitude: &magnitude[b])
                }
                lams = rule.backward(Matrix.stacked(lams)).splittingRows(lams.map(\.rows))
            case .nonlinear:
                for b in blocks.indices {
                    let context = blocks[b].context
                    let step = context.relaxations[i]!.backward(
                        lams[b], alpha: blocks[b].alpha[i], inputMagnitude: context.inputMagnitudes[i]!)
                    for r in 0..<lams[b].rows {
                        constant[b][r] += step.constant[r]
                        magnitude[b][r] += step.magnitude[r]
                    }
                    lams[b] = step.lambda
                    if let s = blocks[b].beta[i] {
                        addSplitTerms(s, to: &lams[b], magnitude: &magnitude[b], bound: context.inputMagnitudes[i]!)
                    }
                }
            }
        }
        return blocks.indices.map { b in
            let lam = lams[b], n = lam.columns
            let lower = (0..<lam.rows).map { r in
                margins.boxMinimum(of: lam.storage[(r * n)..<((r + 1) * n)], constant: constant[b][r],
                                   magnitude: magnitude[b][r], over: blocks[b].inputBox)
            }
            return BackSubstitutionPass(lower: lower, inputLambda: lam, constants: constant[b], lambdas: lambdas[b])
        }
    }

    /// Constant `+= Λ·b` and magnitude `+= |Λ|·v` per row, for an affine layer with bias `b` and magnitudes `v`.
    private static func addBiasTerms(
        _ lam: Matrix, bias b: [Double], magnitudes v: [Double], constant: inout [Double], magnitude: inout [Double]
    ) {
        let n = lam.columns
        lam.storage.withUnsafeBufferPointer { p in
            for r in 0..<lam.rows {
                var c = 0.0, m = 0.0
                for j in 0..<n {
                    let a = p[r * n + j]
                    c += a * b[j]
                    m += Swift.abs(a) * v[j]
                }
                constant[r] += c
                magnitude[r] += m
            }
        }
    }

    /// Adds `−β·σ·z_j` to the coefficients `lam` on the pre-activation `z`.
    private func addSplitTerms(_ b: SplitMultipliers, to lam: inout Matrix, magnitude: inout [Double], bound: [Double]) {
        let n = lam.columns
        for r in 0..<lam.rows {
            for (t, j) in b.neurons.enumerated() {
                let value = b.values.storage[r * b.neurons.count + t]
                lam.storage[r * n + j] -= b.signs[t] * value
                magnitude[r] += Swift.abs(value) * bound[j]
            }
        }
    }

    /// The gradient of each row's lower bound with respect to the ReLU lower slopes and the split multipliers, by
    /// the adjoint of the back-substitution (for the sign pattern of `pass`), for the layers in `alpha`/`beta`.
    /// A multiplier enters as `Λ_z,j −= σ·β`, so `∂bound/∂β = −σ·G_z,j`.
    ///
    /// With `Λ_in = Λ_out·A` and constant `Λ_out·b` for an affine layer, the adjoint `G = ∂bound/∂Λ` runs
    /// forward: `G_out = G_in·Aᵀ + b`; starting from `G₀ = (Λ₀ ≥ 0 ? l : u)`. A ReLU slope `α_j` enters as
    /// `Λ_in,j = α_j Λ_out,j` when `Λ_out,j ≥ 0`, so `∂bound/∂α_j = G_in,j · Λ_out,j`.
    func alphaGradient(
        of pass: BackSubstitutionPass, inputBox: Box, context: BackSubstitutionContext, alpha: [Int: Matrix],
        beta: [Int: SplitMultipliers] = [:]
    ) -> (alpha: [Int: Matrix], beta: [Int: Matrix]) {
        let block = BackSubstitutionBlock(
            lambda: Matrix(rows: 0, columns: 0), constants: [], inputBox: inputBox, context: context, alpha: alpha,
            beta: beta)
        return alphaGradients(of: [pass], blocks: [block])[0]
    }

    /// ``alphaGradient(of:inputBox:context:alpha:beta:)`` of each block of a batched pass: the forward products
    /// of all blocks stacked in one GEMM per affine layer.
    func alphaGradients(of passes: [BackSubstitutionPass], blocks: [BackSubstitutionBlock])
        -> [(alpha: [Int: Matrix], beta: [Int: Matrix])]
    {
        let keys = blocks.flatMap { Array($0.alpha.keys) + Array($0.beta.keys) }
        var gradients = blocks.map { $0.alpha.mapValues { Matrix(rows: $0.rows, columns: $0.columns) } }
        var betaGradients = [[Int: Matrix]](repeating: [:], count: blocks.count)
        guard let last = keys.max() else { return blocks.indices.map { (gradients[$0], betaGradients[$0]) } }
        var gs = blocks.indices.map { b in Self.adjointStart(passes[b].inputLambda, box: blocks[b].inputBox) }
        for i in 0...last {
            switch rules[i] {
            case let .affine(rule):
                var next = rule.forward(Matrix.stacked(gs))
                let bias = rule.bias, n = next.columns
                next.storage.withUnsafeMutableBufferPointer { p in
                    for r in 0..<next.rows { for j in 0..<n { p[r * n + j] += bias[j] } }
                }
                gs = next.splittingRows(gs.map(\.rows))
            case .nonlinear:
                for b in blocks.indices {
                    let g = gs[b], rows = g.rows, n = g.columns
                    if let s = blocks[b].beta[i] {
                        var gb = Matrix(rows: rows, columns: s.neurons.count)
                        for r in 0..<rows {
                            for (t, j) in s.neurons.enumerated() { gb.storage[r * s.neurons.count + t] = -s.signs[t] * g.storage[r * n + j] }
                        }
                        betaGradients[b][i] = gb
                    }
                    let relaxation = blocks[b].context.relaxations[i]!
                    var gradient = gradients[b][i] ?? Matrix(rows: rows, columns: relaxation.outputCount)
                    gs[b] = relaxation.adjoint(g, lambda: passes[b].lambdas[i]!, alpha: blocks[b].alpha[i],
                                               alphaGradient: &gradient)
                    if gradients[b][i] != nil { gradients[b][i] = gradient }
                }
            }
        }
        return blocks.indices.map { (gradients[$0], betaGradients[$0]) }
    }

    /// `G₀ = (Λ₀ ≥ 0 ? l : u)` per entry (0 where that bound is not finite).
    private static func adjointStart(_ inputLambda: Matrix, box: Box) -> Matrix {
        let rows = inputLambda.rows, n0 = inputLambda.columns
        var g = Matrix(rows: rows, columns: n0)
        for r in 0..<rows {
            for j in 0..<n0 {
                let value = inputLambda.storage[r * n0 + j] >= 0 ? box.lower[j] : box.upper[j]
                g.storage[r * n0 + j] = value.isFinite ? value : 0
            }
        }
        return g
    }
}
