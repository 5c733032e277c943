import Bounds
import Network
import Tensor

extension DifferenceBounds {
    /// Difference propagation over one leaf: `box` restricted to the inputs that satisfy `splits`.
    ///
    /// Each network's CROWN intermediate bounds clamp its split neurons (`Bounds`' ``SplitSet`` handling), and
    /// every enclosure of `δ` below reads those clamped intervals, so a decided neuron is exact in its network
    /// and in the difference relaxation (both active: `δ' = δ`; both inactive: `0`; mixed: `z_g` or `−z_f`).
    /// All enclosures hold for every input of the leaf, so an empty one (or an empty clamped interval) proves
    /// that no input reaches it: the result is then ``LeafAnalysis/isInfeasible``.
    ///
    /// - Parameters:
    ///   - parent: The analysis of a leaf containing this one (a box containing `box`, a subset of `splits`):
    ///     every bound is intersected with the parent's.
    ///   - split: With `parent` and the same box, the layer and networks of the ReLU decisions that `splits`
    ///     adds to the parent's: an unsplit network's bounds, and `δ` on the tensors up to that layer, are the
    ///     parent's (nothing before the split neuron's layer changes).
    ///   - given: Bounds of every tensor of `f` and of `g` over the region, computed elsewhere (a product-network
    ///     node's: ``DifferenceBounder/bounds(over:productBounds:margins:)``), used instead of computing them; the
    ///     result then holds wherever they do.
    static func analyse(
        original f: Network, compressed g: Network, over box: Box, splits: DifferenceSplits = DifferenceSplits(),
        margins: SoundnessMargins, parent: LeafAnalysis? = nil, split: (layer: Int, sides: [DifferenceSplits.Side])? = nil,
        given: (f: IntermediateBounds, g: IntermediateBounds)? = nil, symbolic useSymbolic: Bool = true
    ) throws(DifferentialError) -> LeafAnalysis {
        try StructureCheck.validate(f, g, box: box)
        // Both networks compute their layers on clip(x), and clipping maps the box onto clip(box).
        let box = f.inputClamp.map { $0.clamped(box) } ?? box
        let infeasible = LeafAnalysis.infeasible(outputs: f.outputCount, inputs: box.dimension)
        let parent = parent.flatMap { $0.isInfeasible || $0.networks == nil ? nil : $0 }
        let boundsF: IntermediateBounds, boundsG: IntermediateBounds
        if let given {
            (boundsF, boundsG) = given
        } else {
            boundsF = try networkBounds(f, box, splits.original, margins, parent?.networks?.f, split, .original)
            boundsG = try networkBounds(g, box, splits.compressed, margins, parent?.networks?.g, split, .compressed)
        }
        if boundsF.isInfeasible || boundsG.isInfeasible { return infeasible }
        let reused = parent != nil ? split?.layer ?? 0 : 0
        let zero = [Double](repeating: 0, count: box.dimension)
        var deltas = [Box(lower: zero, upper: zero)]
        var symbolic = SymbolicDifference(original: f, compressed: g, inputBox: box, margins: margins)
        var output: SymbolicDifference.Pass?
        var reluInputs: [Int: (f: Box, g: Box)] = [:]
        for i in f.layers.indices {
            let delta = deltas[i]
            let inF = boundsF.tensors[i], inG = compressedInput(boundsG.tensors[i], inF, delta, margins)
            if isEmpty(inG) { return infeasible }
            let decided = Set(splits.original.decisions(inLayer: i).keys).union(splits.compressed.decisions(inLayer: i).keys)
            symbolic.add(layer: i, inputF: inF, inputG: inG, delta: delta, decided: decided)
            if f.layers[i] == .relu { reluInputs[i] = (inF, inG) }
            var next = intersected(
                i + 1 <= reused ? parent!.deltas[i + 1]
                    : step(f.layers[i], g.layers[i], delta: delta, inputF: inF, inputG: inG, margins: margins),
                naiveDifference(boundsF.tensors[i + 1], boundsG.tensors[i + 1], margins))
            let atOutput = i + 1 == f.layers.count
            if useSymbolic, i + 1 > reused,
                atOutput || (f.layers[i + 1] == .relu && !intervalStepIsExact(f, layer: i, delta: delta))
            {
                let pass = symbolic.deltaBounds(end: i + 1, capturing: atOutput)
                next = intersected(next, pass.bounds)
                if atOutput { output = pass }
            }
            if let parent { next = intersected(next, parent.deltas[i + 1]) }
            if isEmpty(next) { return infeasible }
            deltas.append(next)
        }
        let naive = naiveDifference(boundsF.output, boundsG.output, margins)
        let last = deltas[deltas.count - 1]
        let bounds = DifferenceBounds(
            lower: last.lower, upper: last.upper, naiveLower: naive.lower, naiveUpper: naive.upper)
        let row = bindingRow(bounds)
        return LeafAnalysis(
            bounds: bounds, smear: smear(output?.inputCoefficients, row, box),
            candidate: output.flatMap { candidate($0.reluCoefficients, row: row, reluInputs, symbolic, deltas) },
            networks: (boundsF, boundsG), deltas: deltas, isInfeasible: false)
    }

    /// True when the interval step of layer `i` is already the exact range of `δ` after it (up to rounding), so the
    /// symbolic pass cannot tighten it: `δ` entering the layer is exactly 0 and only reshapes and elementwise
    /// layers (coordinate-wise, so their interval images are exact) come before it. The layer's `δ'` is then an
    /// affine function of the input in which each coordinate appears once (`(W_g − W_f)·x + b_g − b_f`). This
    /// skips the costliest pass of a convolutional network: every neuron of its first, widest layer.
    private static func intervalStepIsExact(_ f: Network, layer i: Int, delta: Box) -> Bool {
        guard delta.lower.allSatisfy({ $0 == 0 }), delta.upper.allSatisfy({ $0 == 0 }) else { return false }
        return f.layers[..<i].allSatisfy { layer in
            switch layer {
            case .reshape, .elementwise: true
            default: false
            }
        }
    }

    /// The row of the symbolic output pass that bounds the worst output on its binding side (`i` for the lower
    /// bound, `n + i` for the negated upper bound).
    private static func bindingRow(_ bounds: DifferenceBounds) -> Int {
        let i = bounds.worstSide.output
        return abs(bounds.lower[i]) >= abs(bounds.upper[i]) ? i : bounds.lower.count + i
    }

    /// `|a_j|·width_j` for coefficient row `row` (all 0 without a symbolic pass).
    private static func smear(_ coefficients: Matrix?, _ row: Int, _ box: Box) -> [Double] {
        guard let coefficients, row < coefficients.rows else { return [Double](repeating: 0, count: box.dimension) }
        return (0..<box.dimension).map { j in abs(coefficients[row, j]) * (box.upper[j] - box.lower[j]) }
    }

    /// The unstable neuron of largest score `|Λ_f|·gap_f + |Λ_d|·gap_δ` for row `row` (``ReLUCandidate``): `gap_f`
    /// the height of `f`'s triangle relaxation, `gap_δ` the distance between the difference relaxation's
    /// upper and lower line at the centre of the neuron's `(z_f, δ)` box; nil when every neuron the row
    /// depends on is stable in both networks.
    private static func candidate(
        _ coefficients: [Int: (f: Matrix, d: Matrix)], row: Int, _ inputs: [Int: (f: Box, g: Box)],
        _ symbolic: SymbolicDifference, _ deltas: [Box]
    ) -> ReLUCandidate? {
        var best: ReLUCandidate?
        for (layer, c) in coefficients {
            guard let (inF, inG) = inputs[layer], let relaxation = symbolic.relaxations[layer], row < c.f.rows
            else { continue }
            let delta = deltas[layer]
            for j in 0..<c.f.columns {
                let gapF = triangleGap(inF.lower[j], inF.upper[j]), gapG = triangleGap(inG.lower[j], inG.upper[j])
                guard gapF > 0 || gapG > 0 else { continue }
                let z = (inF.lower[j] + inF.upper[j]) / 2, d = (delta.lower[j] + delta.upper[j]) / 2
                var gapD = relaxation.upper[j].value(z, d) - relaxation.lower[j].value(z, d)
                if !gapD.isFinite { gapD = .greatestFiniteMagnitude }
                let score = abs(c.f[row, j]) * gapF + abs(c.d[row, j]) * max(0, gapD)
                guard score > (best?.score ?? 0) else { continue }
                best = ReLUCandidate(
                    neuron: NeuronID(layer: layer, neuron: j), side: gapF > 0 ? .original : .compressed,
                    score: score, bothUnstable: gapF > 0 && gapG > 0)
            }
        }
        return best
    }

    /// The height `−l·u/(u − l)` of ReLU's triangle relaxation over `[l, u]` at 0: 0 for a stable neuron, the
    /// largest finite value for an unbounded one (NaN read as unbounded).
    private static func triangleGap(_ l: Double, _ u: Double) -> Double {
        if l >= 0 || u <= 0 { return 0 }
        guard l.isFinite, u.isFinite else { return .greatestFiniteMagnitude }
        return -l * u / (u - l)
    }

    /// True when some coordinate's interval is empty (a NaN bound is unknown, not empty).
    private static func isEmpty(_ box: Box) -> Bool { zip(box.lower, box.upper).contains { $0 > $1 } }

    /// CROWN bounds of every tensor of `network` over `box` under `splits`, reusing `parent`'s (the bounds of a
    /// leaf containing this one): entirely when `split` is on the other network, up to the split layer when it
    /// is on this one, else as bounds to intersect with.
    private static func networkBounds(
        _ network: Network, _ box: Box, _ splits: SplitSet, _ margins: SoundnessMargins, _ parent: IntermediateBounds?,
        _ split: (layer: Int, sides: [DifferenceSplits.Side])?, _ side: DifferenceSplits.Side
    ) throws(DifferentialError) -> IntermediateBounds {
        if let parent, let split, !split.sides.contains(side) { return parent }
        do {
            return try BoundPropagator(network: network, margins: margins).intermediateBounds(
                over: box, splits: splits, reusing: parent, fromLayer: split?.layer)
        } catch {
            throw .bounds(network: side == .original ? "original" : "compressed", error)
        }
    }
}
