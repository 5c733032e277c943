import Bounds
import Branching
import LinearProgramming
import Network
import VNNLib
import Tensor

/// The triangle LP relaxation of a ReLU network over a node (Ehlers 2017), kept in one GLPK problem per worker
/// and warm-started from node to node: the structure (columns for every tensor element, equality rows for the
/// affine layers, one triangle row per ReLU neuron and a pool of region rows) is fixed; each query only changes
/// column bounds, row bounds and the triangle and region rows' coefficients, so GLPK re-solves from the previous
/// basis. (Appending and deleting those rows per node, as before, discarded the basis whenever a deleted row
/// was active — nearly always — and every LP started cold: about 10 ms each on ACAS Xu.)
///
/// A refutation is certified independently of GLPK's floating point: the dual values of the optimal basis give
/// a Lagrangian lower bound `Σ_rows y_i·(row bound) + Σ_cols min over the column's bounds of (c − Aᵀy)_j·x_j`
/// (weak duality; Neumaier & Shcherbina 2004), evaluated with an outward rounding margin. Every column is
/// bounded, so the bound is finite, and it is valid for any `y`, accurate or not (a column left unbounded makes
/// it −∞ unless its reduced cost is certified to have the harmless sign, see `certifiedLowerBound(_:duals:)`).
final class LPRelaxation {
    enum Answer {
        /// The region is unreachable on the node: certified lower bound of the margin > 0.
        case refuted(bound: Double)
        /// The relaxation reaches the region: the LP's input point, and its evidence (margin, primal values and
        /// duals keyed by neuron).
        case reachable(input: [Double], evidence: LPEvidence)
        /// GLPK failed, or reported infeasibility (which the relaxation cannot certify): no conclusion.
        case inconclusive(String)
    }

    private let network: Network
    private let solver: LPSolver
    /// Column indices of the input tensor.
    private let inputColumns: [Int]
    /// Column indices of the output tensor.
    private let outputColumns: [Int]
    /// Per ReLU layer index: pre-activation columns, post-activation columns, and per neuron the row `z ≥ v`
    /// (R1) and the triangle row `z ≤ u(v − l)/(u − l)` (free while the neuron is stable).
    private let relus: [Int: ReLURows]
    /// Per max-pool layer index: the output columns (upper bounds set per node).
    private let maxPools: [Int: [Int]]
    /// Per affine layer index: its output columns (bounds set from interval bounds per node).
    private let affineOutputs: [Int: [Int]]
    /// The margin variable t.
    private let marginColumn: Int
    /// Rows `c_i·y − t ≤ d_i` of the region being minimised, grown to the largest region seen; the ones a
    /// region does not use are free.
    private var regionRows: [Int] = []
    /// The unstable neurons of the current node (their triangle rows are in force).
    private var triangleNeurons: [NeuronID] = []
    /// The share of a leaf's time limit the exact-simplex fallback may use (the rest stays for the search).
    static let exactTimeShare = 0.25
    /// The exact fallback also runs when GLPK's optimum is above `−exactFallbackSlack` without a certificate:
    /// GLPK accepts points violating rows by up to its tolerance (1e-7 relative), so such an optimum may hide an
    /// infeasible (or positive) relaxation that a certificate can still prove.
    static let exactFallbackSlack = 1e-6
    private(set) var solves = 0
    private(set) var failures = 0
    /// Solves by GLPK's exact simplex (the fallback of `minimiseMargin(…, exactFallback: true)`).
    private(set) var exactSolves = 0

    /// Builds the structure. Throws for layers the relaxation does not cover (sigmoid, tanh, softmax).
    init(network: Network, timeLimit: Double?) throws {
        self.network = network
        var model = LPModel(direction: .minimize)
        var current = (0..<network.inputCount).map { _ in model.addColumn(lower: -1, upper: 1) }
        let inputs = current
        var relus: [Int: ReLURows] = [:]
        var pools: [Int: [Int]] = [:]
        var affine: [Int: [Int]] = [:]
        func affineLayer(_ index: Int, rows: Int, bias: (Int) -> Double, terms: (Int) -> [LPTerm]) -> [Int] {
            let out = (0..<rows).map { _ in model.addColumn(lower: -.infinity, upper: .infinity) }
            for r in 0..<rows {
                var t = terms(r)
                t.append(LPTerm(column: out[r], coefficient: -1))
                // Σ w·z − v = −b
                _ = model.addRow(LPModel.Row(terms: t, lower: -bias(r), upper: -bias(r)))
            }
            affine[index] = out
            return out
        }
        for (index, layer) in network.layers.enumerated() {
            switch layer {
            case .dense, .conv2d, .convTranspose:
                // A (transposed) convolution enters the LP as its (sparse) dense equivalent.
                guard let d = layer.denseEquivalent else { continue }
                let prev = current
                let n = d.weights.columns
                current = affineLayer(index, rows: d.weights.rows, bias: { d.bias[$0] }) { r in
                    (0..<n).compactMap { c in
                        let w = d.weights.storage[r * n + c]
                        return w == 0 ? nil : LPTerm(column: prev[c], coefficient: w)
                    }
                }
            case let .elementwise(e):
                let prev = current
                current = affineLayer(index, rows: e.scale.count, bias: { e.shift[$0] }) { r in
                    e.scale[r] == 0 ? [] : [LPTerm(column: prev[r], coefficient: e.scale[r])]
                }
            case let .averagePool(p):
                let prev = current
                current = affineLayer(index, rows: p.outputCount, bias: { _ in 0 }) { r in
                    let w = p.window(of: r)
                    return w.indices.map { LPTerm(column: prev[$0], coefficient: 1 / Double(w.divisor)) }
                }
            case .reshape:
                break
            case .relu:
                let pre = current
                let post = pre.map { _ in model.addColumn(lower: 0, upper: .infinity) }
                // R1: z − v ≥ 0 (an equality for active neurons, set per node).
                let rows = (0..<pre.count).map { k in
                    model.addRow(LPModel.Row(terms: [LPTerm(column: post[k], coefficient: 1),
                                                     LPTerm(column: pre[k], coefficient: -1)], lower: 0))
                }
                // The triangle's upper side, its coefficients set per node.
                let upper = (0..<pre.count).map { k in
                    model.addRow(LPModel.Row(terms: [LPTerm(column: post[k], coefficient: 1),
                                                     LPTerm(column: pre[k], coefficient: -1)]))
                }
                relus[index] = ReLURows(pre: pre, post: post, lowerRows: rows, upperRows: upper)
                current = post
            case let .maxPool(p):
                let prev = current
                let out = (0..<p.outputCount).map { _ in model.addColumn(lower: -.infinity, upper: .infinity) }
                for r in 0..<p.outputCount {
                    for i in p.window(of: r).indices {
                        _ = model.addRow(LPModel.Row(terms: [LPTerm(column: out[r], coefficient: 1),
                                                             LPTerm(column: prev[i], coefficient: -1)], lower: 0))
                    }
                }
                pools[index] = out
                current = out
            case .sigmoid, .tanh, .softmax:
                throw VerifierError.unsupportedNetwork("the LP relaxation does not cover \(layer.kindName) (layer \(index))")
            }
        }
        marginColumn = model.addColumn(lower: -1, upper: 1)
        inputColumns = inputs
        outputColumns = current
        self.relus = relus
        self.maxPools = pools
        self.affineOutputs = affine
        var options = LPSolverOptions()
        options.timeLimit = timeLimit
        solver = try LPSolver(model, options: options)
    }

    /// Minimises the region's margin `t ≥ c_i·y − d_i` over the relaxation of the node.
    ///
    /// With `exactFallback` (for leaves, where "no conclusion" ends the run `unknown`): when GLPK calls the
    /// relaxation infeasible, or optimal with a margin above ``exactFallbackSlack``, but the floating-point
    /// certificate fails, the LP is re-solved by GLPK's exact rational simplex (`LPSolver.solveExact()`, at most
    /// ``exactTimeShare`` of `timeLimit`) and *its duals* are certified by the same weak-duality bound — the duals
    /// of the exact optimum, or, when glp_exact finds no feasible point, those of the exact elastic LP (a Farkas
    /// certificate). glp_exact's own verdict is never taken as proof: it is exact for GLPK's rationalisation of
    /// the data (each Float64 replaced by a nearby simple fraction, within 1e-9 relative), not for this LP.
    func minimiseMargin(
        region: OutputPolytope, box: Box, bounds: IntermediateBounds, splits: SplitSet, timeLimit: Double,
        exactFallback: Bool = false
    ) -> Answer {
        do {
            try load(box: box, bounds: bounds, splits: splits, region: region)
        } catch {
            return .inconclusive("LP set-up failed: \(error)")
        }
        solver.options.timeLimit = Swift.max(0.05, timeLimit)
        solves += 1
        let outcome = solver.solve()
        let exactTime = Swift.max(0.05, timeLimit * Self.exactTimeShare)
        switch outcome {
        case let .optimal(solution):
            let certified = certifiedLowerBound(solution)
            if certified > 0 { return .refuted(bound: certified) }
            if exactFallback, solution.objective > -Self.exactFallbackSlack,
                let exact = exactLowerBound(timeLimit: exactTime), exact > 0
            {
                return .refuted(bound: exact)
            }
            let input = inputColumns.map { solution.columnValues[$0] }
            return .reachable(input: input, evidence: evidence(solution, input: input))
        case .infeasible:
            // GLPK's word is not a proof; an elastic LP's duals give one (or not).
            if let bound = certifiedInfeasibility(exactTimeLimit: nil), bound > 0 { return .refuted(bound: .infinity) }
            if exactFallback, let bound = certifiedInfeasibility(exactTimeLimit: exactTime), bound > 0 {
                return .refuted(bound: .infinity)
            }
            return .inconclusive("GLPK reported the node's relaxation infeasible, and no certificate confirmed it")
        case .unbounded:
            failures += 1
            return .inconclusive("GLPK reported an unbounded relaxation, which bounded columns exclude")
        case let .failed(_, detail):
            failures += 1
            return .inconclusive("GLPK failed: \(detail)")
        }
    }

    /// A certified lower bound of the current LP from GLPK's exact simplex: the weak-duality bound of its duals
    /// when it ends optimal, +∞ when it ends infeasible and the duals of its exact elastic LP prove that, nil
    /// otherwise (or when nothing was certified).
    private func exactLowerBound(timeLimit: Double) -> Double? {
        let deadline = ContinuousClock.now + .seconds(Swift.min(timeLimit, 1e9))
        solver.options.timeLimit = timeLimit
        exactSolves += 1
        switch solver.solveExact() {
        case let .optimal(solution):
            return certifiedLowerBound(solution)
        case .infeasible:
            let left = (deadline - ContinuousClock.now).seconds
            guard left > 0, let bound = certifiedInfeasibility(exactTimeLimit: left), bound > 0 else { return nil }
            return .infinity
        case .unbounded, .failed:
            return nil
        }
    }

    /// Certified bounds on the pre-activations `neurons` of the ReLU layer `layer` over the node's relaxation:
    /// one LP minimising and one maximising each, warm-started from the previous, each value the weak-duality
    /// bound of its basis (never GLPK's objective). A neuron whose LP fails keeps its current bounds. Stops at
    /// `deadline`; returns the tightened pre-activation box, or nil when the set-up failed.
    func tightenedPreActivations(
        layer: Int, neurons: [Int], box: Box, bounds: IntermediateBounds, splits: SplitSet,
        deadline: ContinuousClock.Instant
    ) -> Box? {
        guard let relu = relus[layer], var pre = bounds.preActivation[layer] else { return nil }
        do {
            try loadNode(box: box, bounds: bounds, splits: splits)
            try loadRegion(rows: [])
            try solver.setColumnBounds(marginColumn, lower: 0, upper: 0)
        } catch {
            return nil
        }
        for k in neurons where ContinuousClock.now < deadline {
            for sign in [1.0, -1.0] {
                guard (try? solver.setObjective(terms: [LPTerm(column: relu.pre[k], coefficient: sign)],
                                                direction: .minimize)) != nil else { continue }
                solver.options.timeLimit = Swift.max(0.05, (deadline - ContinuousClock.now).seconds)
                solves += 1
                guard case let .optimal(solution) = solver.solve() else {
                    failures += 1
                    continue
                }
                let certified = certifiedLowerBound(solution)
                guard certified.isFinite else { continue }
                if sign > 0 {
                    pre.lower[k] = Swift.max(pre.lower[k], certified)
                } else {
                    pre.upper[k] = Swift.min(pre.upper[k], -certified)
                }
            }
        }
        return pre
    }

    /// The LP's evidence keyed by neuron: for every unstable neuron, its pre-activation value and the duals of
    /// its two relaxation rows (`z ≥ v` and the triangle's upper side).
    private func evidence(_ solution: LPSolution, input: [Double]) -> LPEvidence {
        var evidence = LPEvidence(margin: solution.objective, input: input)
        for id in triangleNeurons {
            guard let relu = relus[id.layer] else { continue }
            evidence.preActivation[id] = solution.columnValues[relu.pre[id.neuron]]
            evidence.upperDual[id] = solution.rowDuals[relu.upperRows[id.neuron]]
            evidence.lowerDual[id] = solution.rowDuals[relu.lowerRows[id.neuron]]
        }
        return evidence
    }

    /// Sets the column bounds and triangle rows of the node and the region's rows.
    private func load(box: Box, bounds: IntermediateBounds, splits: SplitSet, region: OutputPolytope) throws {
        try loadNode(box: box, bounds: bounds, splits: splits)
        // Region rows: c_i·y − t ≤ d_i; t is bounded by the interval range of the rows.
        var dynamic: [LPModel.Row] = []
        var tLow = Double.infinity, tHigh = -Double.infinity
        for i in 0..<region.rowCount {
            var terms: [LPTerm] = []
            var lo = -region.bounds[i], hi = -region.bounds[i]
            for (k, j) in outputColumns.enumerated() {
                let c = region.coefficients[i, k]
                guard c != 0 else { continue }
                terms.append(LPTerm(column: j, coefficient: c))
                lo += c > 0 ? c * bounds.output.lower[k] : c * bounds.output.upper[k]
                hi += c > 0 ? c * bounds.output.upper[k] : c * bounds.output.lower[k]
            }
            tLow = Swift.min(tLow, lo)
            tHigh = Swift.max(tHigh, hi)
            terms.append(LPTerm(column: marginColumn, coefficient: -1))
            dynamic.append(LPModel.Row(terms: terms, upper: region.bounds[i]))
        }
        guard tLow.isFinite, tHigh.isFinite else { throw VerifierError.invalidProperty("unbounded output bounds") }
        // t ≥ max_i(row_i) ≥ tLow on every feasible point, so the bounds do not cut the optimum.
        try solver.setColumnBounds(marginColumn, lower: tLow - 1, upper: Swift.max(tHigh, tLow) + 1)
        var objective = [Double](repeating: 0, count: solver.columnCount)
        objective[marginColumn] = 1
        try solver.setObjective(objective, direction: .minimize)
        try loadRegion(rows: dynamic)
    }

    /// Puts `rows` into the region rows (growing the pool as needed: appended rows enter basic, the basis stays)
    /// and frees the rest.
    private func loadRegion(rows: [LPModel.Row]) throws {
        if rows.count > regionRows.count {
            let free = LPModel.Row(terms: [LPTerm(column: marginColumn, coefficient: -1)])
            regionRows += try solver.addRows(Array(repeating: free, count: rows.count - regionRows.count))
        }
        for (k, i) in regionRows.enumerated() {
            if k < rows.count {
                try solver.setRowTerms(i, rows[k].terms)
                try solver.setRowBounds(i, lower: rows[k].lower, upper: rows[k].upper)
            } else {
                try solver.setRowBounds(i, lower: -.infinity, upper: .infinity)
            }
        }
    }

    /// Sets the column bounds of the node and its triangle rows (free for stable neurons).
    private func loadNode(box: Box, bounds: IntermediateBounds, splits: SplitSet) throws {
        for (k, j) in inputColumns.enumerated() { try solver.setColumnBounds(j, lower: box.lower[k], upper: box.upper[k]) }
        triangleNeurons = []
        for (layer, relu) in relus {
            guard let pre = bounds.preActivation[layer] else {
                // No bounds for the layer: z ≥ max(0, v) only — nothing of an earlier node may stay in force.
                for k in 0..<relu.pre.count {
                    try solver.setColumnBounds(relu.pre[k], lower: -.infinity, upper: .infinity)
                    try solver.setColumnBounds(relu.post[k], lower: 0, upper: .infinity)
                    try solver.setRowBounds(relu.lowerRows[k], lower: 0, upper: .infinity)
                    try solver.setRowBounds(relu.upperRows[k], lower: -.infinity, upper: .infinity)
                }
                continue
            }
            for k in 0..<relu.pre.count {
                var l = pre.lower[k], u = pre.upper[k]
                switch splits.state(layer: layer, neuron: k) {
                case true?: l = Swift.max(l, 0)
                case false?: u = Swift.min(u, 0)
                case nil: break
                }
                if l > u { (l, u) = (u, u) }
                try solver.setColumnBounds(relu.pre[k], lower: l, upper: u)
                if l >= 0 || u <= 0 { try solver.setRowBounds(relu.upperRows[k], lower: -.infinity, upper: .infinity) }
                if l >= 0 {  // active: z = v
                    try solver.setColumnBounds(relu.post[k], lower: l, upper: u)
                    try solver.setRowBounds(relu.lowerRows[k], lower: 0, upper: 0)
                } else if u <= 0 {  // inactive: z = 0
                    try solver.setColumnBounds(relu.post[k], lower: 0, upper: 0)
                    try solver.setRowBounds(relu.lowerRows[k], lower: 0, upper: .infinity)
                } else {  // unstable: z ≥ 0, z ≥ v, z ≤ u(v − l)/(u − l)
                    try solver.setColumnBounds(relu.post[k], lower: 0, upper: u)
                    try solver.setRowBounds(relu.lowerRows[k], lower: 0, upper: .infinity)
                    let slope = u / (u - l)
                    triangleNeurons.append(NeuronID(layer: layer, neuron: k))
                    try solver.setRowTerms(relu.upperRows[k], [LPTerm(column: relu.post[k], coefficient: 1),
                                                               LPTerm(column: relu.pre[k], coefficient: -slope)])
                    try solver.setRowBounds(relu.upperRows[k], lower: -.infinity, upper: -slope * l)
                }
            }
        }
        // Bound every other column by the propagated bounds, so the dual bound is finite.
        for (layer, columns) in affineOutputs where relus[layer + 1] == nil {
            let box = bounds.tensors[layer + 1]
            for (k, j) in columns.enumerated() { try solver.setColumnBounds(j, lower: box.lower[k], upper: box.upper[k]) }
        }
        for (layer, columns) in maxPools {
            let box = bounds.tensors[layer + 1]
            for (k, j) in columns.enumerated() { try solver.setColumnBounds(j, lower: box.lower[k], upper: box.upper[k]) }
        }
    }

    /// Proves the current LP infeasible, or fails to: solves `LPModel.elastic` of it — by the floating-point
    /// simplex, or with `exactTimeLimit` by GLPK's exact one — and returns `LPModel.infeasibilityBound(elasticDuals:)`
    /// of its duals (> 0 proves infeasibility), or nil when the elastic LP was not solved.
    private func certifiedInfeasibility(exactTimeLimit: Double?) -> Double? {
        let original = solver.model
        var options = solver.options
        if let exactTimeLimit { options.timeLimit = exactTimeLimit }
        guard let phaseOne = try? LPSolver(original.elastic, options: options) else { return nil }
        solves += 1
        let solution: LPSolution?
        if exactTimeLimit != nil {
            exactSolves += 1
            solution = phaseOne.solveExact().solution
        } else {
            solution = phaseOne.solve().solution
        }
        guard let solution else { return nil }
        return original.infeasibilityBound(elasticDuals: solution.rowDuals)
    }

    /// The weak-duality lower bound of the LP from `solution`'s row duals, with an outward rounding margin.
    private func certifiedLowerBound(_ solution: LPSolution) -> Double {
        solver.model.certifiedLowerBound(duals: solution.rowDuals)
    }
}

/// The columns and rows of one ReLU layer in ``LPRelaxation``.
private struct ReLURows {
    /// Pre-activation columns `v`.
    let pre: [Int]
    /// Post-activation columns `z`.
    let post: [Int]
    /// Per neuron, the row `z − v ≥ 0` (an equality while the neuron is active).
    let lowerRows: [Int]
    /// Per neuron, the triangle row `z − u/(u − l)·v ≤ −u·l/(u − l)` (free while the neuron is stable).
    let upperRows: [Int]
}
