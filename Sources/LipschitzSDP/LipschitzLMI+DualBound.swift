import Tensor

extension LipschitzLMI {
    /// A lower bound on the optimum of the LipSDP program this LMI defines (min ρ subject to M(ρ,T,τ) ⪯ 0,
    /// T, τ ≥ 0), from a feasible point of its dual:
    ///
    ///     maximise ⟨Z, blkdiag(0, …, W_KᵀW_K)⟩   subject to   Z ⪰ 0,  tr Z₀₀ = 1,
    ///              ⟨Z, A_k⟩ ≥ 0  (the slope constraint of neuron k, dual to t_k),
    ///              Z_kk ≤ w_k · tr Z₀₀  (the redundant constraint, dual to τ_k).
    ///
    /// By weak duality every dual-feasible Z gives ⟨Z, ·⟩ ≤ every feasible ρ, so `certified ρ − dual` bounds how
    /// far the certified value is from the optimum: the duality gap used as the solver's stopping rule.
    ///
    /// Z is built as G·Gᵀ (``dualFactor(directions:perLayer:)``) from `directions` (columns of G), normally the top eigenvectors met by the first-order
    /// solver, whose average is the aggregated subgradient. It is made feasible in factored form, never as an
    /// N×N matrix:
    /// 1. a forward sweep over the hidden layers replaces each neuron's coordinates z_k by s·z_k + r·v_k (v_k its
    ///    pre-activation row of the previous block) so that its slope constraint holds; this is the congruence
    ///    Z ← P Z Pᵀ, so Z stays ⪰ 0, and a layer's change only moves the constraints of the next layer, which
    ///    the sweep treats next;
    /// 2. energy is added to the input block along directions that a linear network with slopes α propagates
    ///    (each satisfies every slope constraint with equality) until every redundant constraint holds.
    /// Returns nil when no repair applies. With `perLayer` (LipSDP-Layer, one t and τ per layer) the constraints
    /// are the per-layer sums, and a common scaling per layer is tried first.
    func dualBound(directions: [[Double]], perLayer: Bool = false) -> Double? {
        guard let factor = dualFactor(directions: directions, perLayer: perLayer) else { return nil }
        var trace = 0.0, objective = 0.0
        for column in factor {
            let x = blocks(column)
            trace += Vector.dot(x[0], x[0])
            let y = operators[hiddenCount].apply(x[hiddenCount])
            objective += Vector.dot(y, y)
        }
        let value = objective / trace
        return value.isFinite && trace > 0 ? value : nil
    }

    /// The factor G (columns) of the repaired dual point Z = G·Gᵀ behind ``dualBound(directions:perLayer:)``:
    /// Z ⪰ 0 and every constraint of the dual holds (up to rounding), in the homogeneous form
    /// ⟨Z, A_k⟩ ≥ 0 and Z_kk ≤ w_k·tr Z₀₀. Nil when no repair applies.
    func dualFactor(directions: [[Double]], perLayer: Bool = false) -> [[Double]]? {
        guard !directions.isEmpty else { return nil }
        let k = hiddenCount
        var columns = directions.map { blocks($0) }
        for h in 0..<k {
            let pre = columns.map { operators[h].apply($0[h]) }
            let n = widths[h + 1]
            var a = [Double](repeating: 0, count: n), b = a, c = a
            for (column, u) in zip(columns, pre) {
                let z = column[h + 1]
                for j in 0..<n {
                    a[j] += z[j] * z[j]
                    b[j] += z[j] * u[j]
                    c[j] += u[j] * u[j]
                }
            }
            var scale = [Double](repeating: 1, count: n)
            var mix = [Double](repeating: 0, count: n)
            let slack = (0..<n).map { j -> Double in
                let cross: Double = 2 * sum[h][j] * b[j]
                let quadratic: Double = 2 * a[j] + 2 * product[h][j] * c[j]
                return cross - quadratic
            }
            var repaired = false
            if perLayer {
                if slack.reduce(0, +) >= 0 { continue }
                // Common scaling s: Σ_k slack_k(s) = 2s·Σσb − 2s²·Σa − 2Σπc ≥ 0.
                let bb = zip(sum[h], b).reduce(0) { $0 + $1.0 * $1.1 }
                let aa = a.reduce(0, +)
                let cc = zip(product[h], c).reduce(0) { $0 + $1.0 * $1.1 }
                if let s = Self.largestFeasibleScale(a: aa, b: bb, c: cc) {
                    scale = [Double](repeating: s, count: n)
                    repaired = true
                }
            }
            if !repaired {
                for j in 0..<n where slack[j] < 0 {
                    if alpha[h][j] == beta[h][j] {
                        // The neuron is linear; z_k := α·v_k meets its constraint with equality.
                        (scale[j], mix[j]) = (0, alpha[h][j])
                    } else if let s = Self.largestFeasibleScale(a: a[j], b: sum[h][j] * b[j],
                                                                 c: product[h][j] * c[j]) {
                        scale[j] = s
                    } else {
                        // z_k := (α+β)/2 · v_k satisfies (z − αv)(βv − z) ≥ 0.
                        (scale[j], mix[j]) = (0, sum[h][j] / 2)
                    }
                }
            }
            for i in columns.indices {
                for j in 0..<n { columns[i][h + 1][j] = scale[j] * columns[i][h + 1][j] + mix[j] * pre[i][j] }
            }
        }
        return redundantRepair(columns, perLayer: perLayer)?.map { $0.flatMap { $0 } }
    }

    /// The largest s ∈ [0, 1] with 2s·b − 2s²·a − 2c ≥ 0 (a neuron's slope constraint after scaling its
    /// coordinates by s; b carries the factor α+β and c the factor αβ), or nil when there is none.
    private static func largestFeasibleScale(a: Double, b: Double, c: Double) -> Double? {
        if a <= 0 { return c <= 0 ? 0 : nil }
        let disc = b * b - 4 * a * c
        guard disc >= 0 else { return nil }
        let root = disc.squareRoot()
        let upper = (b + root) / (2 * a), lower = (b - root) / (2 * a)
        // q(1) < 0: 1 lies outside [lower, upper]; take the end nearer to 1 if it lies in [0, 1].
        if upper >= 0, upper <= 1 { return upper }
        if lower >= 0, lower <= 1 { return lower }
        return nil
    }

    /// Step 2 of ``dualFactor(directions:perLayer:)``: appends input energy δ·I/n₀, propagated through the
    /// slope-α linear network (one column per input coordinate), so that Z_kk ≤ w_k·tr Z₀₀ holds. Nil when some
    /// redundant constraint cannot be met that way.
    private func redundantRepair(_ columns: [[[Double]]], perLayer: Bool) -> [[[Double]]]? {
        let k = hiddenCount
        let n0 = widths[0]
        let trace = columns.reduce(0) { $0 + Vector.dot($1[0], $1[0]) }
        guard trace > 0, trace.isFinite else { return nil }
        let energy = hiddenEnergy(columns)
        // Unit input energy, isotropic, through the linear network with the lower slopes α (hidden energy per
        // unit of input energy in `perUnit`). Each such column meets every slope constraint with equality.
        // Without any α > 0 these columns have no hidden energy and are only built when needed below.
        let lowerColumns = alpha.contains { $0.contains { $0 > 0 } } ? (0..<n0).map(lowerSlopeColumn) : nil
        let perUnit = hiddenEnergy(lowerColumns ?? [])
        var delta = 0.0
        func need(_ e: Double, _ w: Double, _ unit: Double) -> Double? {
            let excess = e - w * trace
            if excess <= 0 { return 0 }
            return w > unit ? excess / (w - unit) : nil
        }
        for h in 0..<k {
            if perLayer {
                guard let d = need(energy[h].reduce(0, +), redundancy[h].reduce(0, +), perUnit[h].reduce(0, +))
                else { return nil }
                delta = max(delta, d)
            } else {
                for j in 0..<widths[h + 1] {
                    guard let d = need(energy[h][j], redundancy[h][j], perUnit[h][j]) else { return nil }
                    delta = max(delta, d)
                }
            }
        }
        guard delta > 0 else { return columns }
        // A small relative excess keeps the constraints strict after rounding.
        let root = (delta * (1 + 1e-9)).squareRoot()
        let basis = lowerColumns ?? (0..<n0).map(lowerSlopeColumn)
        return columns + basis.map { $0.map { $0.map { $0 * root } } }
    }

    /// Σ over `columns` of the squared hidden coordinates, per hidden neuron (the diagonal Z_kk of Σ ggᵀ).
    private func hiddenEnergy(_ columns: [[[Double]]]) -> [[Double]] {
        var energy = widths.dropFirst().map { [Double](repeating: 0, count: $0) }
        for column in columns {
            for h in energy.indices { for j in energy[h].indices { energy[h][j] += column[h + 1][j] * column[h + 1][j] } }
        }
        return energy
    }

    /// The blocks of e_i/√n₀ propagated through the linear network whose slopes are the lower slopes α.
    private func lowerSlopeColumn(_ i: Int) -> [[Double]] {
        var x = [Double](repeating: 0, count: widths[0])
        x[i] = 1 / Double(widths[0]).squareRoot()
        var column = [x]
        for h in 0..<hiddenCount {
            let n = widths[h + 1]
            if alpha[h].allSatisfy({ $0 == 0 }) {
                column.append([Double](repeating: 0, count: n))
            } else {
                let v = operators[h].apply(column[h])
                column.append((0..<n).map { j in alpha[h][j] * v[j] })
            }
        }
        return column
    }
}
