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
    mutating func ascend(_ parameters: inout [Int: Matrix], gradient: [Int: Matrix]) {
        for k in moments.keys { moments[k]!.advance() }
        for (k, g) in gradient {
            guard var a = parameters[k], var state = moments[k] else { continue }
            for i in 0..<g.storage.count {
                let gi = g.storage[i].isFinite ? g.storage[i] : 0
                if gi == 0 && state.first[i] == 0 { continue }
                let update = state.update(at: i, gradient: gi, rate: learningRate)
                a.storage[i] = Swift.min(upperLimit, Swift.max(0, a.storage[i] + update))
            }
            parameters[k] = a
            moments[k] = state
        }
        learningRate *= decay
    }
}
