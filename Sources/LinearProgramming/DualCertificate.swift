public import Tensor

/// Certificates computed outside GLPK: weak-duality lower bounds that hold for ANY row duals, so that a refutation
/// never rests on GLPK's floating-point word (Neumaier & Shcherbina 2004).
extension LPModel {
    /// `Σ_i y_i·(lo_i or hi_i) + Σ_j min over [l_j, u_j] of (c − Aᵀy)_j·x_j + constant`, widened outward by
    /// `margins`: a lower bound of `min cᵀx` over the model's feasible set for any `y` (weak duality); −∞ where a
    /// needed bound is infinite, for a maximisation, or for duals of the wrong count.
    ///
    /// The reduced costs `(c − Aᵀy)_j` are computed in Float64, so each is known only up to its rounding error.
    /// Over a finite column that error costs at most `error·max(|l_j|, |u_j|)`, which the outward margin covers.
    /// Over an infinite bound it is unbounded: the column's term is finite only if the reduced cost is
    /// nonnegative (for `u_j = +∞`) or nonpositive (for `l_j = −∞`) *despite* the error, and is −∞ otherwise — in
    /// particular a computed 0 proves nothing there. No caller needs to bound its columns for this to hold.
    public func certifiedLowerBound(duals: [Double], margins: SoundnessMargins = SoundnessMargins()) -> Double {
        guard direction == .minimize, duals.count == rows.count else { return -.infinity }
        var reduced = objective.map { ReducedCost(objective: $0, relativeError: margins.relative) }
        var total = objectiveConstant
        var magnitude = abs(objectiveConstant)
        for (i, row) in rows.enumerated() {
            let y = duals[i]
            // y_i = 0 is as valid as any other value: taken for a free row (whose term would be −∞ otherwise).
            guard y != 0, y.isFinite, row.lower.isFinite || row.upper.isFinite else { continue }
            let bound = y > 0 ? row.lower : row.upper
            guard bound.isFinite else { return -.infinity }
            total += y * bound
            magnitude += abs(y * bound)
            for term in row.terms where term.coefficient != 0 {
                reduced[term.column].subtract(y, term.coefficient)
            }
        }
        var underflow = 0.0
        for (j, column) in columns.enumerated() {
            guard let term = reduced[j].minimum(over: column) else { return -.infinity }
            total += term.value
            magnitude += term.magnitude
            underflow += term.underflow
        }
        guard total.isFinite, magnitude.isFinite else { return -.infinity }
        // Each product and sum above is off by at most a few ulps of the running magnitude; the relative margin
        // (1e-9) covers the accumulation over up to ~10⁶ terms (n·u ≈ 1.1e-10), the absolute one tiny totals.
        return total - (margins.widening(magnitude) + underflow)
    }

    /// The elastic problem: `min Σ(s⁺ + s⁻)` subject to `lo_i ≤ a_iᵀx + s⁺_i − s⁻_i ≤ hi_i`, `s ≥ 0` and the column
    /// bounds, with slacks on every row that has a bound (a free row holds everywhere and gets none). Always feasible
    /// when the column bounds are; its optimum is 0 iff this model is feasible.
    public var elastic: LPModel {
        var elastic = self
        elastic.objective = [Double](repeating: 0, count: columns.count)
        elastic.objectiveConstant = 0
        elastic.direction = .minimize
        for i in 0..<rows.count where rows[i].lower.isFinite || rows[i].upper.isFinite {
            let plus = elastic.addColumn(lower: 0, upper: .infinity, cost: 1)
            let minus = elastic.addColumn(lower: 0, upper: .infinity, cost: 1)
            elastic.rows[i].terms.append(LPTerm(column: plus, coefficient: 1))
            elastic.rows[i].terms.append(LPTerm(column: minus, coefficient: -1))
        }
        return elastic
    }

    /// A lower bound of the elastic optimum from any row duals `y` of ``elastic``: the duals, clamped to [−1, 1]
    /// (any `y` gives a valid bound, and the clamp makes every slack's reduced cost `1 ∓ y_i` non-negative, so
    /// slacks contribute nothing), give the weak-duality bound of this model's rows and column bounds with a zero
    /// objective. A positive value proves that no point satisfies them (Farkas).
    public func infeasibilityBound(elasticDuals: [Double]) -> Double {
        var zeroObjective = self
        zeroObjective.objective = [Double](repeating: 0, count: columns.count)
        zeroObjective.objectiveConstant = 0
        zeroObjective.direction = .minimize
        return zeroObjective.certifiedLowerBound(duals: elasticDuals.map { Swift.min(1, Swift.max(-1, $0)) })
    }
}

/// A reduced cost `c_j − Σ_i y_i·A_ij` accumulated in Float64, with what is needed to bound its rounding error.
struct ReducedCost {
    /// The computed value.
    private(set) var value: Double
    /// `|c_j| + Σ_i |y_i·A_ij|` (computed).
    private(set) var magnitude: Double
    /// The number of nonzero products `y_i·A_ij` (each may underflow).
    private(set) var products = 0
    /// The relative error bound of the accumulation (``SoundnessMargins/relative``).
    let relativeError: Double

    init(objective: Double, relativeError: Double) {
        value = objective
        magnitude = abs(objective)
        self.relativeError = relativeError
    }

    mutating func subtract(_ y: Double, _ coefficient: Double) {
        value -= y * coefficient
        magnitude += abs(y * coefficient)
        products += 1
    }

    /// Whether the computed value is exactly the real reduced cost: only when nothing was accumulated.
    var isExact: Bool { products == 0 }

    /// A bound on `|value − exact reduced cost|`: the relative margin of the magnitude (covering up to ~10⁶
    /// roundings) plus one smallest subnormal per product (an underflowing product is off by at most half of one).
    var error: Double {
        guard !isExact else { return 0 }
        return relativeError * magnitude + Double(products) * .leastNonzeroMagnitude
    }

    /// `min over [l, u] of r·x` for every `r` within ``error`` of ``value``, split into the computed term, the
    /// magnitude it adds to the outward margin, and the absolute underflow slack; nil when that minimum is −∞
    /// (or the value is not finite).
    func minimum(over column: LPModel.Column) -> (value: Double, magnitude: Double, underflow: Double)? {
        guard value.isFinite, magnitude.isFinite, !column.lower.isNaN, !column.upper.isNaN else { return nil }
        if isExact && value == 0 { return (0, 0, 0) }
        // An infinite bound on the side the reduced cost could favour makes the minimum −∞.
        if column.lower == -.infinity && value + error > 0 { return nil }
        if column.upper == .infinity && value - error < 0 { return nil }
        // The minimiser is the finite bound on the side of the computed sign (any finite one if 0).
        let x: Double
        if value > 0 {
            x = column.lower
        } else if value < 0 {
            x = column.upper
        } else {
            x = column.lower.isFinite ? column.lower : column.upper
        }
        guard x.isFinite else { return nil }
        let reach = Swift.max(column.lower.isFinite ? abs(column.lower) : 0,
                              column.upper.isFinite ? abs(column.upper) : 0)
        return (value * x, magnitude * reach, Double(products) * Double.leastNonzeroMagnitude * reach)
    }
}
