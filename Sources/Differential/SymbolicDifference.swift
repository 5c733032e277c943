import Bounds
import Network
import Tensor

/// Backward linear bound propagation of the difference (NeuroDiff-style symbolic `δ`): a lower bound of
/// `Λ_f·x_f + Λ_d·δ` over the joint state entering layer `end` — `x_f` the original network's tensor,
/// `δ = x_g − x_f` — is carried back layer by layer to the input, where `δ = 0` and `x_f = x`, and minimised
/// over the box. Because `x_f` and `δ` stay symbolic together, the correlation between the two networks (and
/// between neurons) survives that interval propagation loses.
///
/// Per layer, with `(Λ_f, Λ_d)` the coefficients on the layer's output:
/// - dense / convolution / elementwise: `x_f' = W_f x_f + b_f` and `δ' = W_g δ + (W_g − W_f) x_f + (b_g − b_f)`
///   exactly, so `Λ_f ← Λ_f W_f + Λ_d (W_g − W_f)`, `Λ_d ← Λ_d W_g`, constant `+= Λ_f b_f + Λ_d (b_g − b_f)`
///   (a convolution's products with `Λ` are transposed convolutions of all rows at once, never a dense matrix);
/// - reshape: unchanged;
/// - max pooling: ``MaxPoolDifference``'s lines where an element dominates its window, its constant bounds
///   elsewhere (moving a coefficient to a window element, or adding `coefficient × bound` to the constant);
/// - ReLU: `x_f' = relu(z_f)` by CROWN's lines and `δ'` by ``DifferenceRelaxation``'s lines, each coefficient
///   taking the lower line where it is `≥ 0` and the upper one where it is `< 0` (so the sum is a lower bound).
///
/// Soundness margin: as in `Bounds`' back-substitution, every term summed is accounted in a magnitude `S`
/// (`|Λ_f|·(|W_f|·B_f + |b_f|) + |Λ_d|·((|W_f| + |W_g|)·B_f + |W_g|·B_δ + |b_f| + |b_g|)` for an affine layer,
/// `B` bounds of `|x_f|`, `|δ|`; the weight difference counted as `|W_f| + |W_g|` because its Float64
/// subtraction may round), and the final bound is widened by `margins.widening(S)` (``SoundnessMargins``).
struct SymbolicDifference: Sendable {
    let f: Network
    let g: Network
    let inputBox: Box
    let margins: SoundnessMargins
    /// `W_g − W_f` of each dense layer.
    private var weightDifferences: [Int: Matrix] = [:]
    /// `K_g − K_f` of each convolution (the same geometry, the filters' difference, no bias).
    private var filterDifferences: [Int: Conv2D] = [:]
    /// Per affine layer, the magnitude vectors of the `Λ_f` and `Λ_d` terms.
    private var affineMagnitudes: [Int: (f: [Double], d: [Double])] = [:]
    /// Per ReLU layer, bounds of `|z_f|` and `|δ|` on its input.
    private var inputMagnitudes: [Int: (f: [Double], d: [Double])] = [:]
    /// The difference relaxation of each ReLU layer.
    private(set) var relaxations: [Int: DifferenceRelaxation] = [:]
    /// The difference rule of each max-pool layer.
    private var maxPools: [Int: MaxPoolDifference] = [:]

    init(original f: Network, compressed g: Network, inputBox: Box, margins: SoundnessMargins) {
        self.f = f
        self.g = g
        self.inputBox = inputBox
        self.margins = margins
    }

    /// Records layer `i`, whose inputs are bounded by `inputF` (`x_f`), `inputG` (`x_g`) and `delta` (`δ`);
    /// `decided` lists the neurons of a ReLU layer that a split fixed in either network.
    mutating func add(layer i: Int, inputF: Box, inputG: Box, delta: Box, decided: Set<Int> = []) {
        let bf = magnitude(inputF), bd = magnitude(delta)
        switch (f.layers[i], g.layers[i]) {
        case let (.dense(a), .dense(b)):
            var difference = b.weights
            for k in difference.storage.indices { difference.storage[k] -= a.weights.storage[k] }
            weightDifferences[i] = difference
            let wf = a.weights.absoluteMultiplied(by: bf), wg = b.weights.absoluteMultiplied(by: bf)
            let wgd = b.weights.absoluteMultiplied(by: bd)
            affineMagnitudes[i] = Self.magnitudes(wf, wg, wgd, biasF: a.bias, biasG: b.bias)
        case let (.conv2d(a), .conv2d(b)):
            var difference = b
            for k in difference.weights.indices { difference.weights[k] -= a.weights[k] }
            for k in difference.bias.indices { difference.bias[k] = 0 }
            filterDifferences[i] = difference
            let absF = a.absolute, absG = b.absolute
            let wf = absF.applyLinear(bf), wg = absG.applyLinear(bf), wgd = absG.applyLinear(bd)
            affineMagnitudes[i] = Self.magnitudes(wf, wg, wgd, biasF: a.expandedBias, biasG: b.expandedBias)
        case let (.elementwise(a), .elementwise(b)):
            var mf = [Double](repeating: 0, count: a.scale.count), md = mf
            for k in mf.indices {
                let sf: Double = abs(a.scale[k]), sg: Double = abs(b.scale[k])
                let shifts: Double = abs(a.shift[k]) + abs(b.shift[k])
                mf[k] = sf * bf[k] + abs(a.shift[k])
                md[k] = (sf + sg) * bf[k] + sg * bd[k] + shifts
            }
            affineMagnitudes[i] = (mf, md)
        case (.relu, .relu):
            relaxations[i] = DifferenceRelaxation(
                inputF: inputF, inputG: inputG, delta: delta, margins: margins, decided: decided)
            inputMagnitudes[i] = (bf, bd)
        case let (.maxPool(pool), .maxPool):
            maxPools[i] = MaxPoolDifference(pool: pool, inputF: inputF, inputG: inputG, delta: delta)
            inputMagnitudes[i] = (bf, bd)
        default:
            break
        }
    }

    /// The magnitude vectors of an affine layer's `Λ_f` and `Λ_d` terms from `wf = |W_f|·B_f`, `wg = |W_g|·B_f`,
    /// `wgd = |W_g|·B_δ` and the per-output biases: `wf + |b_f|` and `wf + wg + wgd + |b_f| + |b_g|` (the weight
    /// difference counted as `|W_f| + |W_g|`, since its subtraction may round).
    private static func magnitudes(
        _ wf: [Double], _ wg: [Double], _ wgd: [Double], biasF: [Double], biasG: [Double]
    ) -> (f: [Double], d: [Double]) {
        var mf = [Double](repeating: 0, count: biasF.count), md = mf
        for k in mf.indices {
            let biases: Double = abs(biasF[k]) + abs(biasG[k])
            mf[k] = wf[k] + abs(biasF[k])
            md[k] = wf[k] + wg[k] + wgd[k] + biases
        }
        return (mf, md)
    }

    /// One backward pass of ``deltaBounds(end:capturing:)``.
    struct Pass {
        /// Bounds of every `δ` entering the pass's end layer.
        var bounds: Box
        /// The coefficients on the input of each neuron's lower bound (rows `0..<n`) and of its negated upper
        /// bound (rows `n..<2n`).
        var inputCoefficients: Matrix
        /// With capturing, per ReLU layer the coefficients `(Λ_f, Λ_d)` of the same rows on the layer's output
        /// `(x_f', δ')`: what each neuron's relaxation is multiplied by (for the ReLU split score).
        var reluCoefficients: [Int: (f: Matrix, d: Matrix)]
    }

    /// Bounds of every `δ` entering layer `end` (layers `0..<end` recorded), with the rows' coefficients on the
    /// input and, when `capturing`, on every ReLU layer's output.
    func deltaBounds(end: Int, capturing: Bool = false) -> Pass {
        let n = end == 0 ? f.inputCount : f.layerShapes[end - 1].reduce(1, *)
        var lambda = Matrix(rows: 2 * n, columns: n)
        for j in 0..<n {
            lambda.storage[j * n + j] = 1
            lambda.storage[(n + j) * n + j] = -1
        }
        let (low, coefficients, captured) = lowerBounds(
            lambdaF: Matrix(rows: 2 * n, columns: n), lambdaD: lambda, end: end, capturing: capturing)
        return Pass(
            bounds: Box(lower: Array(low[0..<n]), upper: low[n...].map { -$0 }), inputCoefficients: coefficients,
            reluCoefficients: captured)
    }

    /// Certified lower bounds of each row of `Λ_f·x_f + Λ_d·δ` entering layer `end`, over the input box, the
    /// rows' coefficients on the input, and (when `capturing`) their coefficients on each ReLU layer's output.
    func lowerBounds(lambdaF: Matrix, lambdaD: Matrix, end: Int, capturing: Bool = false)
        -> ([Double], Matrix, [Int: (f: Matrix, d: Matrix)])
    {
        var state = BackwardState(lambdaF: lambdaF, lambdaD: lambdaD)
        var captured: [Int: (f: Matrix, d: Matrix)] = [:]
        for i in stride(from: end - 1, through: 0, by: -1) {
            switch (f.layers[i], g.layers[i]) {
            case let (.dense(a), .dense(b)): state.dense(a, b, weightDifferences[i]!, affineMagnitudes[i]!)
            case let (.conv2d(a), .conv2d(b)): state.convolution(a, b, filterDifferences[i]!, affineMagnitudes[i]!)
            case let (.elementwise(a), .elementwise(b)): state.elementwise(a, b, affineMagnitudes[i]!)
            case (.relu, .relu):
                if capturing { captured[i] = (state.lambdaF, state.lambdaD) }
                state.relu(relaxations[i]!, inputMagnitudes[i]!)
            case (.maxPool, .maxPool): state.maxPool(maxPools[i]!, inputMagnitudes[i]!)
            default: break
            }
        }
        // At the input δ = 0 exactly (both networks read the same x), so only Λ_f remains.
        let n = state.lambdaF.columns
        let lower = (0..<state.lambdaF.rows).map { r in
            margins.boxMinimum(of: state.lambdaF.storage[(r * n)..<((r + 1) * n)], constant: state.constant[r],
                               magnitude: state.magnitude[r], over: inputBox)
        }
        return (lower, state.lambdaF, captured)
    }

    private func magnitude(_ box: Box) -> [Double] { zip(box.lower, box.upper).map { max(abs($0), abs($1)) } }
}

/// The coefficients, constants and rounding magnitudes of one backward pass of ``SymbolicDifference``.
private struct BackwardState {
    var lambdaF: Matrix
    var lambdaD: Matrix
    var constant: [Double]
    var magnitude: [Double]

    init(lambdaF: Matrix, lambdaD: Matrix) {
        self.lambdaF = lambdaF
        self.lambdaD = lambdaD
        constant = [Double](repeating: 0, count: lambdaF.rows)
        magnitude = constant
    }

    /// `Λ_f ← Λ_f W_f + Λ_d ΔW`, `Λ_d ← Λ_d W_g` (three GEMMs), constant `+= Λ_f b_f + Λ_d (b_g − b_f)`.
    mutating func dense(_ a: Dense, _ b: Dense, _ difference: Matrix, _ mags: (f: [Double], d: [Double])) {
        let biasDifference = zip(b.bias, a.bias).map { $0 - $1 }
        addConstants(a.bias, biasDifference, mags)
        var nextF = lambdaF.multiplied(by: a.weights)
        let cross = lambdaD.multiplied(by: difference)
        for k in nextF.storage.indices { nextF.storage[k] += cross.storage[k] }
        lambdaD = lambdaD.multiplied(by: b.weights)
        lambdaF = nextF
    }

    /// The convolution case of ``dense(_:_:_:_:)``: `Λ_f ← Λ_f K_f + Λ_d ΔK`, `Λ_d ← Λ_d K_g`, each product a
    /// transposed convolution of all rows at once (``Conv2D/applyLinearTransposed(rows:)``).
    mutating func convolution(_ a: Conv2D, _ b: Conv2D, _ difference: Conv2D, _ mags: (f: [Double], d: [Double])) {
        let biasF = a.expandedBias
        addConstants(biasF, zip(b.expandedBias, biasF).map { $0 - $1 }, mags)
        var nextF = a.applyLinearTransposed(rows: lambdaF)
        let cross = difference.applyLinearTransposed(rows: lambdaD)
        for k in nextF.storage.indices { nextF.storage[k] += cross.storage[k] }
        lambdaD = b.applyLinearTransposed(rows: lambdaD)
        lambdaF = nextF
    }

    /// The diagonal case of ``dense(_:_:_:_:)``.
    mutating func elementwise(_ a: ElementwiseAffine, _ b: ElementwiseAffine, _ mags: (f: [Double], d: [Double])) {
        addConstants(a.shift, zip(b.shift, a.shift).map { $0 - $1 }, mags)
        let n = lambdaF.columns
        for r in 0..<lambdaF.rows {
            for j in 0..<n {
                let k = r * n + j, d = lambdaD.storage[k]
                lambdaF.storage[k] = lambdaF.storage[k] * a.scale[j] + d * (b.scale[j] - a.scale[j])
                lambdaD.storage[k] = d * b.scale[j]
            }
        }
    }

    /// Constant `+= Λ_f·biasF + Λ_d·biasD`, magnitude `+= |Λ_f|·mags.f + |Λ_d|·mags.d`.
    private mutating func addConstants(_ biasF: [Double], _ biasD: [Double], _ mags: (f: [Double], d: [Double])) {
        let n = lambdaF.columns
        for r in 0..<lambdaF.rows {
            var c = 0.0, m = 0.0
            for j in 0..<n {
                let x = lambdaF.storage[r * n + j], y = lambdaD.storage[r * n + j]
                c += x * biasF[j] + y * biasD[j]
                m += abs(x) * mags.f[j] + abs(y) * mags.d[j]
            }
            constant[r] += c
            magnitude[r] += m
        }
    }

    /// Through a ReLU layer: each coefficient takes its lower line where `≥ 0`, its upper line where `< 0`.
    mutating func relu(_ relaxation: DifferenceRelaxation, _ mags: (f: [Double], d: [Double])) {
        let n = lambdaF.columns, fr = relaxation.original
        for r in 0..<lambdaF.rows {
            var c = 0.0, m = 0.0
            for j in 0..<n {
                let k = r * n + j, a = lambdaF.storage[k], b = lambdaD.storage[k]
                var nf = 0.0, nd = 0.0
                if a != 0 {
                    let (slope, intercept) = a >= 0 ? (fr.lowerSlope[j], fr.lowerIntercept[j])
                        : (fr.upperSlope[j], fr.upperIntercept[j])
                    nf = a * slope
                    c += a * intercept
                    m += abs(a) * (abs(intercept) + abs(slope) * mags.f[j])
                }
                if b != 0 {
                    let line = b >= 0 ? relaxation.lower[j] : relaxation.upper[j]
                    nf += b * line.p
                    nd = b * line.q
                    c += b * line.r
                    m += abs(b) * (abs(line.r) + (abs(line.p) + 2) * mags.f[j] + abs(line.q) * mags.d[j])
                }
                lambdaF.storage[k] = nf
                lambdaD.storage[k] = nd
            }
            constant[r] += c
            magnitude[r] += m
        }
    }

    /// Through a max-pool layer (``MaxPoolDifference``): per output, `Λ_f ≥ 0` moves to the element of largest
    /// lower bound, `Λ_f < 0` to the dominant element or onto the constant `max u_f`; `Λ_d ≥ 0` to f's dominant
    /// element (`δ' ≥ δ_p`) or onto `δ'`'s lower bound, `Λ_d < 0` to g's dominant element (`δ' ≤ δ_q`) or onto
    /// its upper bound. Moved coefficients count `|Λ|·B` of their element in the magnitude (their sums round).
    mutating func maxPool(_ rule: MaxPoolDifference, _ mags: (f: [Double], d: [Double])) {
        let n = lambdaF.columns, inputs = mags.f.count
        var nextF = Matrix(rows: lambdaF.rows, columns: inputs), nextD = nextF
        for r in 0..<lambdaF.rows {
            var c = 0.0, m = 0.0
            func move(_ x: Double, to p: Int, in next: inout Matrix, magnitude: Double) {
                next.storage[r * inputs + p] += x
                m += abs(x) * magnitude
            }
            func concretise(_ x: Double, times bound: Double) {
                c += x * bound
                m += abs(x * bound)
            }
            for o in 0..<n {
                let a = lambdaF.storage[r * n + o], b = lambdaD.storage[r * n + o]
                if a > 0 {
                    let p = rule.largestLowerF[o]
                    move(a, to: p, in: &nextF, magnitude: mags.f[p])
                } else if a < 0 {
                    if let p = rule.dominantF[o] { move(a, to: p, in: &nextF, magnitude: mags.f[p]) }
                    else { concretise(a, times: rule.upperF[o]) }
                }
                if b > 0 {
                    if let p = rule.dominantF[o] { move(b, to: p, in: &nextD, magnitude: mags.d[p]) }
                    else { concretise(b, times: rule.delta.lower[o]) }
                } else if b < 0 {
                    if let q = rule.dominantG[o] { move(b, to: q, in: &nextD, magnitude: mags.d[q]) }
                    else { concretise(b, times: rule.delta.upper[o]) }
                }
            }
            constant[r] += c
            magnitude[r] += m
        }
        lambdaF = nextF
        lambdaD = nextD
    }
}
