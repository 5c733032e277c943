import Tensor

/// Projected Adam ascent of alpha-CROWN's per-layer parameters: the ReLU lower slopes (projected onto `[0, 1]`)
/// or the beta-CROWN split multipliers (projected onto `[0, ∞)`), with one ``AdamState`` per layer and a learning
/// rate that decays by ``BoundOptions/alphaLearningRateDecay`` after every step.
struct ProjectedAdamAscent {
    /// Adam moments per layer, over the layer's matrix storage.
    var moments: [Int: AdamState]
    var learningRate: Double
    /// The projection is onto `[0, upperLimit]`.
    let upperLimit: Double
    let decay: Double

    init(_ parameters: [Int: Matrix], learningRate: Double, upperLimit: Double, options: BoundOptions) {
        moments = parameters.mapValues {
            AdamState(count: $0.storage.count, beta1: options.adamBeta1, beta2: options.adamBeta2,
                      epsilon: options.adamEpsilon)
        }
        self.learningRate = learningRate
        self.upperLimit = upperLimit
        decay = options.alphaLearningRateDecay
    }

    /// One projected ascent step on every parameter with a gradient. A non-finite gradient entry counts as 0; an
    /// entry whose gradient and first moment are both 0 is left as it is (moments included).
    /// Parameters and moments are updated in place in their dictionaries (``AdamState/ascend(_:gradient:rate:upper:)``):
    /// taking them out as local copies would copy both arrays on every step.
    mutating func ascend(_ parameters: inout [Int: Matrix], gradient: [Int: Matrix]) {
        for k in moments.keys { moments[k]!.advance() }
        for (k, g) in gradient where parameters[k] != nil && moments[k] != nil {
            moments[k]!.ascend(&parameters[k]!.storage, gradient: g.storage, rate: learningRate, upper: upperLimit)
        }
        learningRate *= decay
    }
}
