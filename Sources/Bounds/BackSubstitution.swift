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
        let rows = lambda.rows
        var lam = lambda
        var constant = constants
        var magnitude = constants.map { Swift.abs($0) }
        var lambdas: [Int: Matrix] = [:]
        for i in stride(from: end - 1, through: 0, by: -1) {
            if record { lambdas[i] = lam }
            switch rules[i] {
            case let .affine(rule):
                let b = rule.bias, v = context.affineMagnitudes[i]!
                let n = lam.columns
                lam.storage.withUnsafeBufferPointer { p in
                    for r in 0..<rows {
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
                lam = rule.backward(lam)
            case .nonlinear:
                let step = context.relaxations[i]!.backward(
                    lam, alpha: alpha[i], inputMagnitude: context.inputMagnitudes[i]!)
                for r in 0..<rows {
                    constant[r] += step.constant[r]
                    magnitude[r] += step.magnitude[r]
                }
                lam = step.lambda
                if let b = beta[i] { addSplitTerms(b, to: &lam, magnitude: &magnitude, bound: context.inputMagnitudes[i]!) }
            }
        }
        let n = lam.columns
        let lower = (0..<rows).map { r in
            margins.boxMinimum(of: lam.storage[(r * n)..<((r + 1) * n)], constant: constant[r],
                               magnitude: magnitude[r], over: inputBox)
        }
        return BackSubstitutionPass(lower: lower, inputLambda: lam, constants: constant, lambdas: lambdas)
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
        guard let last = (Array(alpha.keys) + Array(beta.keys)).max() else { return ([:], [:]) }
        let rows = pass.inputLambda.rows, n0 = pass.inputLambda.columns
        var g = Matrix(rows: rows, columns: n0)
        for r in 0..<rows {
            for j in 0..<n0 {
                let value = pass.inputLambda.storage[r * n0 + j] >= 0 ? inputBox.lower[j] : inputBox.upper[j]
                g.storage[r * n0 + j] = value.isFinite ? value : 0
            }
        }
        var gradients = alpha.mapValues { Matrix(rows: $0.rows, columns: $0.columns) }
        var betaGradients: [Int: Matrix] = [:]
        for i in 0...last {
            switch rules[i] {
            case let .affine(rule):
                var next = rule.forward(g)
                let b = rule.bias, n = next.columns
                for r in 0..<rows { for j in 0..<n { next.storage[r * n + j] += b[j] } }
                g = next
            case .nonlinear:
                if let b = beta[i] {
                    var gb = Matrix(rows: rows, columns: b.neurons.count)
                    let n = g.columns
                    for r in 0..<rows {
                        for (t, j) in b.neurons.enumerated() { gb.storage[r * b.neurons.count + t] = -b.signs[t] * g.storage[r * n + j] }
                    }
                    betaGradients[i] = gb
                }
                var gradient = gradients[i] ?? Matrix(rows: rows, columns: context.relaxations[i]!.outputCount)
                g = context.relaxations[i]!.adjoint(g, lambda: pass.lambdas[i]!, alpha: alpha[i], alphaGradient: &gradient)
                if gradients[i] != nil { gradients[i] = gradient }
            }
        }
        return (gradients, betaGradients)
    }
}
