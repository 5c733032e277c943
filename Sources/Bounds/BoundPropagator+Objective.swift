public import Tensor

extension BoundPropagator {
    /// Certified lower bounds of `objective·f(x) + constants` over the input box under the splits.
    ///
    /// CROWN back-substitution from the output to the input through the relaxations built from `intermediate`;
    /// with ``BoundMethod/alphaCrown`` the lower slopes of unstable ReLUs are then optimised per objective row by
    /// projected Adam ascent on the bound (Xu et al. 2021), jointly with beta-CROWN multipliers of the split
    /// constraints (Wang et al. 2021; see ``BoundOptions/optimizeSplitMultipliers``), the gradient being the exact
    /// adjoint of the back-substitution (see `alphaGradient`). Every iterate is a sound bound; each row keeps its best. Rows
    /// are independent problems, so slopes are per row (as alpha-CROWN's per-specification slopes): a slope
    /// shared across rows could only be a compromise between them. Each row's bound is also never below its
    /// interval bound over `intermediate.output`.
    ///
    /// - Parameters:
    ///   - objective: `rows × outputCount` matrix `C`.
    ///   - constants: Per-row constants added to `C·f(x)` (default zeros).
    ///   - box: The input region: the box `intermediate` was computed over, or a sub-box of it (the relaxations
    ///     come from `intermediate`, which must be valid on `box`).
    ///   - intermediate: Bounds from ``intermediateBounds(over:splits:method:reusing:fromLayer:)``. When it is
    ///     infeasible every lower bound is `+∞` (no input satisfies the splits).
    ///   - splits: The split decisions (re-applied to `intermediate`, which is idempotent).
    ///   - options: Method and alpha-CROWN settings.
    ///   - warmStart: With alpha-CROWN, the slopes and multipliers a containing problem's bound ended with, for
    ///     the same objective rows (``LinearBoundResult/slopes``, rows selected with
    ///     ``OptimisedSlopes/selectingRows(_:)``): the optimisation starts from them (slopes where their layer's
    ///     shape matches, each split neuron's multiplier where it was split there, 0 for a new split) instead of
    ///     from CROWN's adaptive slopes and `β = 0`. Ignored when its row count differs.
    ///   - keepingSlopes: Keep the parameters that gave each row's bound in ``LinearBoundResult/slopes``.
    /// - Complexity: `(1 + 2·alphaIterations)` back-substitutions of `rows` rows for alpha-CROWN, one for CROWN.
    public func lowerBounds(
        of objective: Matrix, constants: [Double]? = nil, over box: Box, intermediate: IntermediateBounds,
        splits: SplitSet = SplitSet(), options: BoundOptions = BoundOptions(), warmStart: OptimisedSlopes? = nil,
        keepingSlopes: Bool = false
    ) -> LinearBoundResult {
        let query = ObjectiveQuery(
            objective: objective, constants: constants, box: box, intermediate: intermediate, splits: splits,
            warmStart: warmStart, keepsSlopes: keepingSlopes)
        return lowerBounds(of: [query], options: options)[0]
    }

    /// ``lowerBounds(of:constants:over:intermediate:splits:options:warmStart:)`` of several problems at once
    /// (branch-and-bound nodes of one network): every back-substitution and gradient pass multiplies all the
    /// problems' rows stacked in one product per affine layer, and each problem keeps its own relaxations, slopes,
    /// multipliers and optimiser state, so each result is the one it would get alone.
    public func lowerBounds(of queries: [ObjectiveQuery], options: BoundOptions = BoundOptions()) -> [LinearBoundResult] {
        var results: [LinearBoundResult] = []
        var problems: [ObjectiveProblem] = []
        var open: [Int] = []
        for query in queries {
            switch prepare(query, options: options) {
            case let .decided(result): results.append(result)
            case let .open(problem):
                open.append(results.count)
                results.append(problem.result)
                problems.append(problem)
            }
        }
        guard !problems.isEmpty else { return results }
        optimise(&problems, options: options)
        for (k, problem) in zip(open, problems) {
            var result = problem.result
            for r in result.lower.indices { result.lower[r] = Swift.max(result.lower[r], problem.intervalLower[r]) }
            results[k] = result
        }
        return results
    }

    /// A query's bounds made ready for back-substitution, or its result when none is needed (an infeasible
    /// region, or interval bounds).
    private func prepare(_ query: ObjectiveQuery, options: BoundOptions) -> ObjectivePreparation {
        let objective = query.objective, splits = query.splits
        precondition(objective.columns == network.outputCount, "objective has \(objective.columns) columns")
        let rows = objective.rows
        let constants = query.constants ?? [Double](repeating: 0, count: rows)
        precondition(constants.count == rows, "constants count")
        var bounds = query.intermediate
        // NaN bounds are unknown (the infinite bound on their side), never an empty interval: only a NaN-free
        // `lower > upper` below may close the node with +∞.
        bounds.tensors = bounds.tensors.map(Self.sanitized)
        bounds.tensors[0] = Self.sanitized(query.box)
        for k in reluLayers { clamp(&bounds.tensors[k], layer: k, splits: splits) }
        let empty = LinearBoundResult(
            lower: [Double](repeating: .infinity, count: rows),
            inputCoefficients: Matrix(rows: rows, columns: network.inputCount),
            inputConstants: [Double](repeating: 0, count: rows), reluCoefficients: [:])
        if bounds.isInfeasible || bounds.tensors.contains(where: { !$0.isValid }) { return .decided(empty) }

        let intervalLower = objectiveIntervalLower(objective, constants: constants, output: bounds.output)
        if options.method == .interval {
            var result = empty
            result.lower = intervalLower
            result.inputConstants = intervalLower.map { $0.isFinite ? $0 : 0 }
            return .decided(result)
        }
        var context = BackSubstitutionContext()
        for i in 0..<rules.count { context.add(layer: i, input: bounds.tensors[i], propagator: self) }
        var alpha = initialSlopes(
            rows: rows, layers: reluLayers.filter { !context.relaxations[$0]!.freeSlopes.isEmpty }, context: context)
        var beta: [Int: SplitMultipliers] = [:]
        if options.method == .alphaCrown && options.optimizeSplitMultipliers {
            for k in splits.layers where reluLayers.contains(k) {
                let decisions = splits.decisions(inLayer: k).sorted { $0.key < $1.key }
                beta[k] = SplitMultipliers(neurons: decisions.map(\.key), signs: decisions.map { $0.value ? 1 : -1 },
                                           values: Matrix(rows: rows, columns: decisions.count))
            }
        }
        let optimises = options.method == .alphaCrown && options.alphaIterations > 0 && !(alpha.isEmpty && beta.isEmpty)
        if optimises, let warmStart = query.warmStart, warmStart.rowCount == rows {
            Self.start(&alpha, &beta, from: warmStart)
        }
        let block = BackSubstitutionBlock(
            lambda: objective, constants: constants, inputBox: bounds.tensors[0], context: context, alpha: alpha,
            beta: beta)
        return .open(ObjectiveProblem(
            block: block, intervalLower: intervalLower, optimises: optimises, keepsSlopes: query.keepsSlopes,
            stop: query.stop, result: empty))
    }

    /// CROWN's pass of every problem, then alpha-CROWN's projected Adam ascent of those that optimise, in
    /// lockstep (one batched back-substitution and one batched gradient pass per iteration); every row keeps
    /// its best bound and the parameters that gave it.
    private func optimise(_ problems: inout [ObjectiveProblem], options: BoundOptions) {
        let end = rules.count
        let first = backSubstitute(problems.map(\.block), end: end, record: true)
        for (k, pass) in first.enumerated() {
            problems[k].result = LinearBoundResult(
                lower: pass.lower, inputCoefficients: pass.inputLambda, inputConstants: pass.constants,
                reluCoefficients: reluLambdas(pass))
        }
        var active = problems.indices.filter { problems[$0].optimises && !problems[$0].isSettled }
        guard !active.isEmpty else { return }
        var passes = active.map { first[$0] }
        var states = active.map {
            ObjectiveOptimiser(problems[$0].block, options: options, keepsSlopes: problems[$0].keepsSlopes)
        }
        for _ in 0..<options.alphaIterations {
            let gradients = alphaGradients(of: passes, blocks: active.map { problems[$0].block })
            for (t, k) in active.enumerated() { states[t].step(&problems[k].block, gradient: gradients[t]) }
            passes = backSubstitute(active.map { problems[$0].block }, end: end, record: true)
            for (t, k) in active.enumerated() {
                let improved = keepBetterRows(of: passes[t], in: &problems[k].result)
                states[t].tracker?.record(rows: improved, alpha: problems[k].block.alpha, beta: problems[k].block.beta)
            }
            // Problems whose stop criterion is met leave the batch (their slopes are not needed: they are closed).
            let going = active.indices.filter { !problems[active[$0]].isSettled }
            guard going.count < active.count else { continue }
            for t in active.indices where !going.contains(t) { problems[active[t]].result.slopes = states[t].tracker?.slopes }
            (active, passes, states) = (going.map { active[$0] }, going.map { passes[$0] }, going.map { states[$0] })
            if active.isEmpty { return }
        }
        for (t, k) in active.enumerated() { problems[k].result.slopes = states[t].tracker?.slopes }
    }

    /// Sets the starting slopes and multipliers from `warmStart` where it has them.
    static func start(_ alpha: inout [Int: Matrix], _ beta: inout [Int: SplitMultipliers], from warmStart: OptimisedSlopes) {
        for (k, a) in alpha { alpha[k] = warmStart.slopes(layer: k, over: a) }
        for (k, b) in beta {
            var values = b.values
            for (t, j) in b.neurons.enumerated() {
                for r in 0..<values.rows { values[r, t] = warmStart.multiplier(of: NeuronID(layer: k, neuron: j), row: r) }
            }
            beta[k]!.values = values
        }
    }

    /// `Λ` on the output of every ReLU layer.
    func reluLambdas(_ pass: BackSubstitutionPass) -> [Int: Matrix] {
        var out: [Int: Matrix] = [:]
        for k in reluLayers { out[k] = pass.lambdas[k] }
        return out
    }

    /// Replaces the rows of `result` whose bound `pass` improves; returns them.
    func keepBetterRows(of pass: BackSubstitutionPass, in result: inout LinearBoundResult) -> [Int] {
        let n0 = pass.inputLambda.columns
        let improved = (0..<pass.lower.count).filter { pass.lower[$0] > result.lower[$0] }
        for r in improved {
            result.lower[r] = pass.lower[r]
            result.inputConstants[r] = pass.constants[r]
            result.inputCoefficients.storage.replaceSubrange(
                (r * n0)..<((r + 1) * n0), with: pass.inputLambda.storage[(r * n0)..<((r + 1) * n0)])
            for (k, lam) in pass.lambdas where result.reluCoefficients[k] != nil {
                let n = lam.columns
                result.reluCoefficients[k]!.storage.replaceSubrange(
                    (r * n)..<((r + 1) * n), with: lam.storage[(r * n)..<((r + 1) * n)])
            }
        }
        return improved
    }

    /// `min over the output box of C y + k`, widened; −∞ where not finite.
    func objectiveIntervalLower(_ objective: Matrix, constants: [Double], output: Box) -> [Double] {
        let n = objective.columns
        return (0..<objective.rows).map { r in
            margins.boxMinimum(of: objective.storage[(r * n)..<((r + 1) * n)], constant: constants[r],
                               magnitude: Swift.abs(constants[r]), over: output)
        }
    }
}
