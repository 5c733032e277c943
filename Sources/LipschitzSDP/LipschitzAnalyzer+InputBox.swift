import Bounds
public import Tensor

extension LipschitzAnalyzer {
    /// A certified Lipschitz bound valid on an input box: alpha-CROWN bounds the pre-activations of every
    /// activation layer over `box` (CROWN, then optimised slopes for the neurons it leaves unstable: every neuron
    /// it proves stable narrows the LMI; stably active ReLUs get slope [1, 1], stably inactive ones [0, 0]), then
    /// ``localBound(method:over:options:)`` certifies the restricted LMI. A network that clips its inputs
    /// (``Network/inputClamp``) is analysed over the clipped box: clipping is 1-Lipschitz, so a bound of the layers
    /// there bounds the clipped network on `box`.
    /// - Throws: ``LipschitzError`` as the other calls do, or when the box does not fit the network.
    public func localBound(method: LipschitzMethod, inputBox box: Box, options: LipschitzOptions = LipschitzOptions())
        throws -> LipschitzResult
    {
        guard box.dimension == network.inputCount, box.isValid else {
            throw LipschitzError.slopeShapeMismatch(expected: [network.inputCount], found: [box.dimension])
        }
        let box = network.inputClamp?.clamped(box) ?? box
        let propagator = try BoundPropagator(network: network)
        let bounds = propagator.intermediateBounds(over: box, splits: SplitSet(), method: .alphaCrown, reusing: nil,
                                                   fromLayer: nil)
        let activations = network.layers.indices.filter { [.relu, .sigmoid, .tanh].contains(network.layers[$0]) }
        return try localBound(method: method, over: activations.map { bounds.tensors[$0] }, options: options)
    }
}
