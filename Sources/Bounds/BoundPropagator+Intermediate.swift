public import Tensor

extension BoundPropagator {
    /// Bounds of every tensor of the network over `box` under `splits`.
    ///
    /// Interval propagation layer by layer; with ``BoundMethod/crown`` the input of every nonlinear layer and the
    /// output are also bounded by full CROWN back-substitution to the input, using the already computed earlier
    /// bounds, and each neuron keeps the tighter of the two. With ``BoundMethod/alphaCrown`` the ReLU inputs that
    /// CROWN leaves unstable are then tightened by alpha-CROWN (slopes of the earlier ReLU layers optimised per
    /// bound, `intermediateOptions.alphaIterations` steps), and every tensor is intersected with CROWN's (computed
    /// first unless `parent` is given): far costlier, meant for a search's root, whose bounds every node inherits. For ReLU
    /// layers only neurons that interval bounds leave unstable (or that are split) are back-substituted. Split
    /// decisions clamp the pre-activation bounds (active: lower ≥ 0; inactive: upper ≤ 0), which tightens every
    /// later layer; an empty clamped interval marks the result ``IntermediateBounds/isInfeasible``.
    ///
    /// - Parameters:
    ///   - box: The input region.
    ///   - splits: ReLU split decisions.
    ///   - method: `.interval` or CROWN.
    ///   - parent: Bounds of the parent node, valid for a region containing this one (a box containing `box`, a
    ///     subset of `splits`). Every recomputed bound is intersected with the parent's, so a child is never
    ///     looser than its parent.
    ///   - intermediateOptions: the alpha-CROWN settings of ``BoundMethod/alphaCrown`` (the method field is ignored).
    ///   - fromLayer: With `parent` and the same box: the smallest layer index whose splits differ from the
    ///     parent's. Tensors entering layers `1 … fromLayer` are taken from `parent` (then clamped by `splits`);
    ///     later ones are recomputed. `nil` or 0 recomputes everything.
    /// - Complexity: for an MLP, per ReLU layer `k` about `2·unstable_k × Σ_{i<k} in_i·out_i` multiply-adds (GEMM).
    public func intermediateBounds(
        over box: Box, splits: SplitSet = SplitSet(), method: BoundMethod = .crown,
        reusing parent: IntermediateBounds? = nil, fromLayer: Int? = nil,
        intermediateOptions: BoundOptions = BoundOptions()
    ) -> IntermediateBounds {
        let query = IntermediateQuery(box: box, splits: splits, parent: parent, fromLayer: fromLayer)
        return intermediateBounds(of: [query], method: method, intermediateOptions: intermediateOptions)[0]
    }

    /// ``intermediateBounds(over:splits:method:reusing:fromLayer:intermediateOptions:)`` of several regions at
    /// once (the nodes of a branch-and-bound batch), layer by layer in lockstep: at every layer the CROWN
    /// back-substitutions of all regions' neurons run as one batched pass (one product per affine layer for the
    /// stacked rows, ``backSubstitute(_:end:record:)``), in groups whose rows fit
    /// ``BoundOptions/slopeMemoryBudget``. Each result is the one its query gets alone (up to the rounding of
    /// products of another height, which the soundness margins cover).
    public func intermediateBounds(
        of queries: [IntermediateQuery], method: BoundMethod = .crown, intermediateOptions: BoundOptions = BoundOptions()
    ) -> [IntermediateBounds] {
        var passes = queries.map { IntermediatePass(query: $0, propagator: self) }
        if method == .alphaCrown {
            // CROWN is not monotone in the earlier layers' bounds (its adaptive slopes change with them), so the
            // optimised bounds are intersected with plain CROWN's (or with the caller's bounds of the same
            // region): never looser, neuron by neuron.
            let fresh = passes.indices.filter { passes[$0].parent == nil }
            let crown = intermediateBounds(
                of: fresh.map { IntermediateQuery(box: queries[$0].box, splits: queries[$0].splits) }, method: .crown)
            for (k, bounds) in zip(fresh, crown) {
                if bounds.isInfeasible { passes[k].result = bounds } else { passes[k].parent = bounds }
            }
        }
        for k in passes.indices where passes[k].result == nil { passes[k].begin(propagator: self) }
        for i in 0..<rules.count {
            let live = passes.indices.filter { passes[$0].result == nil && i >= passes[$0].start }
            if case .nonlinear = rules[i] {
                boundNonlinearInputs(&passes, live, layer: i, method: method, options: intermediateOptions)
            }
            for k in live where passes[k].result == nil { passes[k].advance(layer: i, propagator: self) }
        }
        let open = passes.indices.filter { passes[$0].result == nil }
        if method != .interval && needsBackSubstitution(before: rules.count) {
            let outputs = Array(0..<network.outputCount)
            tighten(&passes, open.map { ($0, outputs) }, end: rules.count, budget: intermediateOptions.slopeMemoryBudget)
        }
        return passes.map { $0.result ?? IntermediateBounds(
            tensors: $0.tensors, nonlinearLayers: nonlinearLayers, isInfeasible: false, method: method) }
    }

    /// The bounds of the tensor entering nonlinear layer `i` for the `live` passes: back-substituted (batched)
    /// where needed, then intersected with the parent's, clamped by the splits and checked for emptiness.
    private func boundNonlinearInputs(
        _ passes: inout [IntermediatePass], _ live: [Int], layer i: Int, method: BoundMethod, options: BoundOptions
    ) {
        let isReLU = network.layers[i] == .relu
        if method != .interval && needsBackSubstitution(before: i) {
            let targets = live.filter { !passes[$0].reuses(layer: i) }.map { k -> (Int, [Int]) in
                let t = passes[k].tensors[i], splits = passes[k].splits
                // ReLU: every neuron not proven stable (a NaN bound proves nothing), and every split one.
                let candidates = isReLU
                    ? (0..<t.dimension).filter {
                        !(t.lower[$0] >= 0 || t.upper[$0] <= 0) || splits.state(layer: i, neuron: $0) != nil
                    }
                    : Array(0..<t.dimension)
                return (k, candidates)
            }
            tighten(&passes, targets, end: i, budget: options.slopeMemoryBudget)
            if method == .alphaCrown, isReLU {
                for (k, candidates) in targets {
                    let t = passes[k].tensors[i]
                    let open = candidates.filter { t.lower[$0] < 0 && t.upper[$0] > 0 }
                    tightenWithOptimisedSlopes(&passes[k].tensors[i], neurons: open, end: i, inputBox: passes[k].tensors[0],
                                               context: passes[k].context, options: options)
                }
            }
        }
        for k in live { passes[k].settle(layer: i, method: method, propagator: self) }
    }

    /// Intersects each target pass's tensor entering layer `end` with CROWN bounds of its listed neurons, the
    /// passes' rows back-substituted together in groups of at most `budget` bytes of coefficients per layer.
    private func tighten(_ passes: inout [IntermediatePass], _ targets: [(Int, [Int])], end: Int, budget: Int) {
        let perRow = slopeChunk(rowsPerNeuron: 1, end: end, budget: budget)
        var group: [(Int, [Int])] = [], rows = 0
        func flush() {
            guard !group.isEmpty else { return }
            let blocks = group.map { k, neurons in
                BackSubstitutionBlock(
                    lambda: Self.boundRows(of: neurons, dimension: passes[k].tensors[end].dimension),
                    constants: [Double](repeating: 0, count: 2 * neurons.count), inputBox: passes[k].tensors[0],
                    context: passes[k].context)
            }
            for ((k, neurons), pass) in zip(group, backSubstitute(blocks, end: end)) {
                let c = neurons.count
                for (r, j) in neurons.enumerated() {
                    passes[k].tensors[end].lower[j] = Swift.max(passes[k].tensors[end].lower[j], pass.lower[r])
                    passes[k].tensors[end].upper[j] = Swift.min(passes[k].tensors[end].upper[j], -pass.lower[c + r])
                }
            }
            group = []
            rows = 0
        }
        for target in targets where !target.1.isEmpty {
            if rows > 0, rows + 2 * target.1.count > perRow { flush() }
            group.append(target)
            rows += 2 * target.1.count
        }
        flush()
    }

    /// Intersects `t` with `other` (both sound for the region).
    static func intersect(_ t: inout Box, with other: Box) {
        for j in 0..<t.dimension {
            t.lower[j] = Swift.max(t.lower[j], other.lower[j])
            t.upper[j] = Swift.min(t.upper[j], other.upper[j])
        }
    }

    /// Applies the split decisions of ReLU layer `layer` to its pre-activation bounds.
    func clamp(_ t: inout Box, layer: Int, splits: SplitSet) {
        for (neuron, active) in splits.decisions(inLayer: layer) where neuron < t.dimension {
            if active { t.lower[neuron] = Swift.max(t.lower[neuron], 0) } else { t.upper[neuron] = Swift.min(t.upper[neuron], 0) }
        }
    }

    /// False when interval bounds of the tensor entering layer `end` are already exact: no nonlinear layer and at
    /// most one non-diagonal affine layer (dense, conv, transposed conv, average pool) lie before it.
    func needsBackSubstitution(before end: Int) -> Bool {
        var mixing = 0
        for i in 0..<end {
            switch network.layers[i] {
            case .relu, .sigmoid, .tanh, .softmax, .maxPool: return true
            case .dense, .conv2d, .convTranspose, .averagePool: mixing += 1
            case .elementwise, .reshape: break
            }
        }
        return mixing > 1
    }
}
