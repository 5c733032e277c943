import Tensor

extension Network {
    /// The network's output at `x` in Float64.
    ///
    /// - Precondition: `x.count == inputCount`.
    /// - Complexity: one pass over the parameters.
    public func evaluate(_ x: [Double]) -> [Double] {
        precondition(x.count == inputCount, "input size \(x.count) != \(inputCount)")
        return layers.reduce(x) { $1.apply($0) }
    }

    /// The network's output at `x` in Float32 (weights rounded to Float32, Float32 arithmetic).
    public func evaluate(_ x: [Float]) -> [Float] {
        precondition(x.count == inputCount, "input size \(x.count) != \(inputCount)")
        return layers.reduce(x) { $1.apply($0) }
    }

    /// The tensors flowing through the network at `x`: element 0 is `x`, element `i + 1` is the output of layer `i`.
    public func trace(_ x: [Double]) -> [[Double]] {
        precondition(x.count == inputCount, "input size \(x.count) != \(inputCount)")
        var values = [x]
        values.reserveCapacity(layers.count + 1)
        for layer in layers { values.append(layer.apply(values[values.count - 1])) }
        return values
    }

    /// The output at `x` and the gradient `∇ₓ (cᵀ f(x))` for an output weighting `c`.
    public func valueAndGradient(at x: [Double], outputWeights c: [Double]) -> (output: [Double], gradient: [Double]) {
        precondition(c.count == outputCount, "output weight size")
        let values = trace(x)
        var g = c
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            g = layers[i].pullback(at: values[i], cotangent: g)
        }
        return (values[values.count - 1], g)
    }
}
