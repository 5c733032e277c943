public import Tensor

extension Network {
    /// A closed box that holds every output for every input, from what the last layer is: `[0, 1]` after a
    /// sigmoid or a softmax, `[−1, 1]` after tanh, `[0, ∞)` after a ReLU (reshapes and max pooling, which keep a
    /// range, are looked through). Nil when the last layer is affine, so that nothing is known.
    ///
    /// The box holds in exact arithmetic and in Float32 evaluation alike (a rounded sigmoid, tanh or softmax never
    /// leaves its range: each is a monotone rounding of a value inside it), so a property row that no point of the
    /// box satisfies is refuted without any bound propagation, and without the outward widening that rounding
    /// forces on propagated bounds (a propagated lower bound of a softmax output is a little below 0, which does
    /// not refute `Y < 0`; this box does).
    public var outputRange: Box? {
        for layer in layers.reversed() {
            let (lower, upper): (Double, Double)
            switch layer {
            case .reshape, .maxPool: continue
            case .sigmoid, .softmax: (lower, upper) = (0, 1)
            case .tanh: (lower, upper) = (-1, 1)
            case .relu: (lower, upper) = (0, .infinity)
            default: return nil
            }
            return Box(lower: Array(repeating: lower, count: outputCount), upper: Array(repeating: upper, count: outputCount))
        }
        return nil
    }
}
