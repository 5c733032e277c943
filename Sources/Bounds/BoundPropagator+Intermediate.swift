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
        precondition(box.dimension == network.inputCount, "box dimension \(box.dimension) != \(network.inputCount)")
        let layerCount = rules.count
        var tensors = [Self.sanitized(box)]
        var start = 0
        var parent = parent.flatMap { !$0.isInfeasible && $0.tensors.count == layerCount + 1 ? $0 : nil }
        if method == .alphaCrown, parent == nil {
            // CROWN is not monotone in the earlier layers' bounds (its adaptive slopes change with them), so the
            // optimised bounds are intersected with plain CROWN's (or with the caller's bounds of the same
            // region): never looser, neuron by neuron.
            let crown = intermediateBounds(over: box, splits: splits, method: .crown, reusing: parent, fromLayer: nil)
            if crown.isInfeasible { return crown }
            parent = crown
        }
        if let parent, let from = fromLayer, from > 0 {
            start = Swift.min(from, layerCount)
            tensors += parent.tensors[1...start]
        }
        var context = BackSubstitutionContext()
        for i in 0..<start { context.add(layer: i, input: tensors[i], propagator: self) }
        var result = IntermediateBounds(tensors: [], nonlinearLayers: nonlinearLayers, isInfeasible: false, method: method)
        for i in start..<layerCount {
            if case .nonlinear = rules[i] {
                var t = tensors[i]
                let reused = parent != nil && i == start && start > 0
                if method != .interval && !reused && needsBackSubstitution(before: i) {
                    // ReLU: every neuron not proven stable (a NaN bound proves nothing), and every split one.
                    let candidates = network.layers[i] == .relu
                        ? (0..<t.dimension).filter {
                            !(t.lower[$0] >= 0 || t.upper[$0] <= 0) || splits.state(layer: i, neuron: $0) != nil
                        }
                        : Array(0..<t.dimension)
                    tighten(&t, neurons: candidates, end: i, inputBox: tensors[0], context: context)
                    if method == .alphaCrown, network.layers[i] == .relu {
                        let open = candidates.filter { t.lower[$0] < 0 && t.upper[$0] > 0 }
                        tightenWithOptimisedSlopes(&t, neurons: open, end: i, inputBox: tensors[0], context: context,
                                                   options: intermediateOptions)
                    }
                }
                if let parent { Self.intersect(&t, with: parent.tensors[i]) }
                if network.layers[i] == .relu { clamp(&t, layer: i, splits: splits) }
                // A NaN bound is unknown, not empty: only a NaN-free `lower > upper` proves infeasibility.
                t = Self.sanitized(t)
                if !t.isValid {
                    result.tensors = tensors + [t]
                    result.isInfeasible = true
                    return result
                }
                tensors[i] = t
            }
            context.add(layer: i, input: tensors[i], propagator: self)
            var next = interval(layer: i, tensors[i])
            if let parent { Self.intersect(&next, with: parent.tensors[i + 1]) }
            tensors.append(next)
        }
        if method != .interval && needsBackSubstitution(before: layerCount) {
            tighten(&tensors[layerCount], neurons: Array(0..<network.outputCount), end: layerCount,
                    inputBox: tensors[0], context: context)
        }
        result.tensors = tensors
        return result
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
            case .relu, .sigmoid, .tanh, .maxPool: return true
            case .dense, .conv2d, .convTranspose, .averagePool: mixing += 1
            case .elementwise, .reshape: break
            }
        }
        return mixing > 1
    }

    /// Intersects `t` with CROWN bounds of the listed neurons of the tensor entering layer `end`.
    func tighten(_ t: inout Box, neurons: [Int], end: Int, inputBox: Box, context: BackSubstitutionContext) {
        let c = neurons.count
        guard c > 0 else { return }
        let pass = backSubstitute(Self.boundRows(of: neurons, dimension: t.dimension), constants: [Double](repeating: 0, count: 2 * c), end: end,
                                  inputBox: inputBox, context: context)
        for (r, j) in neurons.enumerated() {
            t.lower[j] = Swift.max(t.lower[j], pass.lower[r])
            t.upper[j] = Swift.min(t.upper[j], -pass.lower[c + r])
        }
    }
}
