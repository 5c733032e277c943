public import Bounds
public import Network
public import Tensor

/// Certified bounds of `g − f` over many boxes of one pair of networks, prepared once: the networks aligned
/// (structured pruning widened back by zero neurons) and checked, then every box bounded by difference
/// propagation, or by CROWN on the product network for pairs of different structure (``LeafBounder``).
///
/// Branch and bound uses it to close a product-network node from the difference alone
/// (``DifferenceBounds`` over the node's box), without splitting anything itself.
public struct DifferenceBounder: Sendable {
    let leaf: LeafBounder
    /// For a pair bounded by difference propagation, each network's bound rules (default margins), prepared once
    /// for reading their bounds off a product node's (``bounds(over:productBounds:margins:)``).
    private let propagators: (f: BoundPropagator, g: BoundPropagator)?

    /// A bounder for `f` and `g` over boxes of `inputDimension` coordinates.
    /// - Throws: the errors of ``DifferenceBounds/compute(original:compressed:over:margins:)`` for a pair that
    ///   neither difference propagation nor the product network handles.
    public init(original f: Network, compressed g: Network, inputDimension: Int) throws(DifferentialError) {
        guard inputDimension == f.inputCount else {
            throw .inputDimension(expected: f.inputCount, found: inputDimension)
        }
        let zero = Box(lower: [Double](repeating: 0, count: inputDimension),
                       upper: [Double](repeating: 0, count: inputDimension))
        leaf = try LeafBounder.make(original: f, compressed: g, box: zero)
        if case let .propagation(f, g) = leaf, let pf = try? BoundPropagator(network: f),
            let pg = try? BoundPropagator(network: g)
        {
            propagators = (pf, pg)
        } else {
            propagators = nil
        }
    }

    /// True when the pair is bounded by difference propagation (one layer structure), false when by CROWN on the
    /// product network.
    public var propagatesDifferences: Bool { leaf.method == .differencePropagation }

    /// Certified bounds of `g(x) − f(x)` per output for every `x` in `box` (no splitting).
    /// - Throws: ``DifferentialError/inputDimension(expected:found:)`` or `.bounds` when a network cannot be bounded.
    public func bounds(over box: Box, margins: SoundnessMargins = SoundnessMargins()) throws(DifferentialError)
        -> DifferenceBounds
    {
        try leaf.bound(box, margins: margins).bounds
    }

    /// Certified bounds of `g(x) − f(x)` per output over a product-network node's region, reusing the node's
    /// bounds: `productBounds` bounds every tensor of `Network.sideBySide([f, g], …)` or
    /// `Network.difference(original: f, compressed: g)` over `box` (under the node's split decisions, if any), each
    /// ReLU's input `f`'s neurons above `g`'s. Where they fit the pair (as many ReLU layers, each as wide as both
    /// networks' together), every ReLU input of `f` and `g` is read off them and the tensors between are interval
    /// images, instead of two CROWN passes — and the node's bounds may be tighter (optimised, split). The result
    /// then holds wherever `productBounds` do. Otherwise (another layout, a structurally pruned `g` widened by zero
    /// neurons, a pair bounded through the product network) this is ``bounds(over:margins:)``.
    /// - Throws: the errors of ``bounds(over:margins:)``.
    public func bounds(over box: Box, productBounds: IntermediateBounds, margins: SoundnessMargins = SoundnessMargins())
        throws(DifferentialError) -> DifferenceBounds
    {
        guard let prepared = propagators, !productBounds.isInfeasible,
            let rules = prepared.f.margins == margins ? prepared : Self.propagators(prepared, margins),
            let halves = Self.halves(of: productBounds, rules.f, rules.g, box: box)
        else { return try bounds(over: box, margins: margins) }
        return try leaf.bound(box, margins: margins, given: halves).bounds
    }

    /// The networks of `prepared` with other margins.
    private static func propagators(_ prepared: (f: BoundPropagator, g: BoundPropagator), _ margins: SoundnessMargins)
        -> (f: BoundPropagator, g: BoundPropagator)?
    {
        guard let f = try? BoundPropagator(network: prepared.f.network, margins: margins),
            let g = try? BoundPropagator(network: prepared.g.network, margins: margins)
        else { return nil }
        return (f, g)
    }

    /// `f`'s and `g`'s bounds over `box` with the ReLU inputs read off the side-by-side bounds `p` (ReLU `k` of
    /// the product is `[f's ReLU k; g's ReLU k]`), intersected with the interval images of the tensors before them;
    /// nil when `p` does not have that layout. An output tensor that is `[f; g]` is read the same way (the
    /// difference network's `g − f` is not).
    /// `propagatorF` and `propagatorG` are the two networks' bound rules (their margins widen the interval images).
    static func halves(
        of p: IntermediateBounds, _ propagatorF: BoundPropagator, _ propagatorG: BoundPropagator, box: Box
    ) -> (f: IntermediateBounds, g: IntermediateBounds)? {
        let f = propagatorF.network, g = propagatorG.network
        let relusF = propagatorF.reluLayers, relusG = propagatorG.reluLayers
        let width = { (n: Network, i: Int) in i == 0 ? n.inputCount : n.layerShapes[i - 1].reduce(1, *) }
        guard relusF == relusG, p.nonlinearLayers.count == relusF.count, p.tensors.count >= 2,
            zip(relusF, p.nonlinearLayers).allSatisfy({ p.tensors[$1].dimension == width(f, $0) + width(g, $0) })
        else { return nil }
        var read: [Int: Box] = [:]
        for (i, k) in zip(relusF, p.nonlinearLayers) { read[i] = p.tensors[k] }
        let output = p.tensors[p.tensors.count - 1]
        if output.dimension == f.outputCount + g.outputCount { read[f.layers.count] = output }
        var tensorsF = [box], tensorsG = [box]
        for i in f.layers.indices {
            var nextF = propagatorF.interval(layer: i, tensorsF[i]), nextG = propagatorG.interval(layer: i, tensorsG[i])
            if let both = read[i + 1] {
                let nf = nextF.dimension
                nextF = DifferenceBounds.intersected(
                    nextF, Box(lower: Array(both.lower[0..<nf]), upper: Array(both.upper[0..<nf])))
                nextG = DifferenceBounds.intersected(
                    nextG, Box(lower: Array(both.lower[nf...]), upper: Array(both.upper[nf...])))
            }
            tensorsF.append(nextF)
            tensorsG.append(nextG)
        }
        return (IntermediateBounds(tensors: tensorsF, nonlinearLayers: relusF, isInfeasible: false, method: p.method),
                IntermediateBounds(tensors: tensorsG, nonlinearLayers: relusG, isInfeasible: false, method: p.method))
    }
}
