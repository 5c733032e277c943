public import Network
public import Tensor

/// Certified ℓ₂ Lipschitz bounds of a feed-forward network (dense, convolution, elementwise, average pooling and
/// reshape layers separated by ReLU, sigmoid or tanh, with max pooling, optionally ending in a softmax).
///
/// An output softmax (followed by nothing but reshapes) is taken off and the bound of the rest multiplied by
/// ``Softmax/lipschitzConstant`` (1/2, a theorem, so the product stays certified). A network with max pooling
/// is bounded segment by segment between its pools, the product taken with each pool's constant
/// (``PooledSegments``): certified, but with no optimum bound for the whole (the segments' programs are solved
/// apart), so such results carry no ``LipschitzResult/optimumLowerBound``.
///
/// ```swift
/// let analyzer = try LipschitzAnalyzer(network: net)
/// let result = try analyzer.bound(method: .lipsdpNeuron)
/// print(result.bound, result.seconds)
/// ```
///
/// Every returned ``LipschitzResult`` is certified: the naive bound multiplies spectral norms each proved by a
/// rounding-safe Cholesky; the other methods produce a point (ρ, T) of the LipSDP LMI (Fazlyab et al.,
/// NeurIPS 2019) and prove M(ρ,T) ⪯ 0 by a floating-point block Cholesky with a rounding margin
/// (`LipschitzLMI.certify(rho:t:tau:)`), raising ρ until it passes.
public struct LipschitzAnalyzer: Sendable {
    /// The analysed network.
    public let network: Network
    let segments: PooledSegments
    /// ``Softmax/lipschitzConstant`` when the network ends in a softmax (its chain is the rest), else 1.
    let outputFactor: Double

    /// Prepares the analysis.
    /// - Throws: ``LipschitzError/unsupportedLayer(layer:kind:)`` for a softmax that is not the network's last
    ///   layer (reshapes aside).
    public init(network: Network) throws {
        self.network = network
        let logits = network.splittingOutputSoftmax()?.logits
        segments = try PooledSegments(network: logits ?? network)
        outputFactor = logits == nil ? 1 : Softmax.lipschitzConstant
    }

    /// `result` for the whole network: the chain's bound (and its optimum's lower bound) times ``outputFactor``.
    func scaledToOutput(_ result: LipschitzResult) -> LipschitzResult {
        guard outputFactor != 1 else { return result }
        var out = result
        out.bound *= outputFactor
        out.optimumLowerBound = result.optimumLowerBound.map { $0 * outputFactor }
        out.details["output softmax"] = "bound of the rest × \(outputFactor) (‖J‖₂ ≤ 1/2)"
        return out
    }

    /// Sizes of the activation layers, in order (the shapes expected by the local-bound calls).
    public var activationWidths: [Int] { segments.activationWidths }

    /// A certified global Lipschitz bound.
    public func bound(method: LipschitzMethod, options: LipschitzOptions = LipschitzOptions()) throws -> LipschitzResult {
        scaledToOutput(try compute(chains: segments.chains, method: method, options: options, isLocal: false))
    }

    /// The bound of the segments' composition: the one chain's result without max pooling, else the product of each chain's (given a
    /// share of the time limit by its LMI size) and the pools' factor, rounded up.
    func compute(chains: [SlopeChain], method: LipschitzMethod, options: LipschitzOptions, isLocal: Bool) throws
        -> LipschitzResult
    {
        if !segments.hasPools { return try compute(chain: chains[0], method: method, options: options, isLocal: isLocal) }
        let sizes = chains.map { Double($0.widths.reduce(0, +)) }
        var results: [LipschitzResult] = []
        for (chain, size) in zip(chains, sizes) {
            var share = options
            share.timeLimit = options.timeLimit * size / sizes.reduce(0, +)
            share.neuronScales = nil
            results.append(try compute(chain: chain, method: method, options: share, isLocal: isLocal))
        }
        var bound = segments.poolFactor
        for r in results { bound = (bound * r.bound).nextUp }
        let factors = results.map { String(format: "%.6g", $0.bound) } + [String(format: "%.6g", segments.poolFactor)]
        return LipschitzResult(
            bound: bound, method: method, margin: results.map(\.margin).max() ?? 0,
            roundingShift: results.map(\.roundingShift).max() ?? 0, iterations: results.reduce(0) { $0 + $1.iterations },
            seconds: results.reduce(0) { $0 + $1.seconds }, isLocal: isLocal,
            details: ["segments": "\(chains.count), split at max pooling: " + factors.joined(separator: " × ")
                      + " (the last factor the pools' √overlap)"])
    }

    /// A certified Lipschitz bound valid on an input region whose neurons have slopes in the given intervals:
    /// `slopeLower[i][k] ≤ slope ≤ slopeUpper[i][k]` for neuron k of activation layer i (intersected with the
    /// activation's own range). Stably active ReLUs get [1, 1], stably inactive ones [0, 0].
    public func localBound(
        method: LipschitzMethod, slopeLower: [[Double]], slopeUpper: [[Double]],
        options: LipschitzOptions = LipschitzOptions()
    ) throws -> LipschitzResult {
        let local = try segments.restricted(alpha: slopeLower, beta: slopeUpper)
        return scaledToOutput(try compute(chains: local, method: method, options: options, isLocal: true))
    }

    /// A certified Lipschitz bound valid on an input region, from bounds on the pre-activations of every
    /// activation layer over that region (for example CROWN or interval bounds over a VNN-LIB input box).
    /// - Parameter preActivationBounds: one ``Box`` per activation layer, of that layer's width.
    public func localBound(
        method: LipschitzMethod, over preActivationBounds: [Box], options: LipschitzOptions = LipschitzOptions()
    ) throws -> LipschitzResult {
        let kinds = network.layers.filter { [.relu, .sigmoid, .tanh].contains($0) }
        guard preActivationBounds.map(\.dimension) == activationWidths, kinds.count == activationWidths.count else {
            throw LipschitzError.slopeShapeMismatch(expected: activationWidths,
                                                    found: preActivationBounds.map(\.dimension))
        }
        var lower: [[Double]] = []
        var upper: [[Double]] = []
        for (box, kind) in zip(preActivationBounds, kinds) {
            let slopes = zip(box.lower, box.upper).map { SlopeInterval.of(kind, lower: $0, upper: $1) }
            lower.append(slopes.map(\.lower))
            upper.append(slopes.map(\.upper))
        }
        return try localBound(method: method, slopeLower: lower, slopeUpper: upper, options: options)
    }
}
