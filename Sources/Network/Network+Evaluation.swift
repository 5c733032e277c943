import Tensor

extension Network {
    /// The network's output at `x` in Float64 (after clipping `x` to ``inputClamp``, when there is one).
    ///
    /// - Precondition: `x.count == inputCount`.
    /// - Complexity: one pass over the parameters.
    public func evaluate(_ x: [Double]) -> [Double] {
        precondition(x.count == inputCount, "input size \(x.count) != \(inputCount)")
        return layers.reduce(clampedInput(x)) { $1.apply($0) }
    }

    /// The outputs at the rows of `x` (one input per row) in Float64: ``evaluate(_:)-([Double])`` of every row,
    /// with dense and convolution layers as one BLAS product over all rows (sampling, attacks).
    ///
    /// - Precondition: `x.columns == inputCount`.
    public func evaluate(rows x: Matrix) -> Matrix {
        precondition(x.columns == inputCount, "input size \(x.columns) != \(inputCount)")
        var input = x
        if let inputClamp {
            for r in 0..<x.rows {
                for j in 0..<x.columns {
                    input.storage[r * x.columns + j] = Swift.min(
                        Swift.max(x.storage[r * x.columns + j], inputClamp.lower[j]), inputClamp.upper[j])
                }
            }
        }
        return layers.reduce(input) { $1.apply(rows: $0) }
    }

    /// Multiply-adds of one evaluation: the dense and convolution layers' products (the cost unit of attacks'
    /// budgets).
    public var multiplyAdds: Int {
        layers.reduce(0) { total, layer in
            switch layer {
            case let .dense(d): return total + d.weights.rows * d.weights.columns
            case let .conv2d(c): return total + c.multiplyAdds
            case let .convTranspose(t): return total + t.adjoint.multiplyAdds
            default: return total
            }
        }
    }

    /// The network's output at `x` in Float32 (weights and the clipping bounds rounded to Float32, Float32
    /// arithmetic).
    public func evaluate(_ x: [Float]) -> [Float] {
        precondition(x.count == inputCount, "input size \(x.count) != \(inputCount)")
        return layers.reduce(clampedInput(x)) { $1.apply($0) }
    }

    /// `x` clipped to ``inputClamp`` (`x` itself when the network does not clip): the tensor entering layer 0.
    public func clampedInput(_ x: [Double]) -> [Double] {
        guard let inputClamp else { return x }
        return inputClamp.clamped(x)
    }

    /// `x` clipped to ``inputClamp`` rounded to Float32 (equal to rounding the Float64 clipping of `x`).
    public func clampedInput(_ x: [Float]) -> [Float] {
        guard let box = inputClamp else { return x }
        return x.indices.map { Swift.min(Swift.max(x[$0], Float(box.lower[$0])), Float(box.upper[$0])) }
    }

    /// The tensors flowing through the network at `x`: element 0 is the input entering layer 0 (`x` clipped to
    /// ``inputClamp``, or `x`), element `i + 1` is the output of layer `i`.
    public func trace(_ x: [Double]) -> [[Double]] {
        precondition(x.count == inputCount, "input size \(x.count) != \(inputCount)")
        var values = [clampedInput(x)]
        values.reserveCapacity(layers.count + 1)
        for layer in layers { values.append(layer.apply(values[values.count - 1])) }
        return values
    }

    /// The output at `x` and the gradient `∇ₓ (cᵀ f(x))` for an output weighting `c`.
    ///
    /// Coordinates of `x` strictly outside ``inputClamp`` get a zero gradient (clipping is constant there); on
    /// the clipping bounds the gradient is the one from inside.
    public func valueAndGradient(at x: [Double], outputWeights c: [Double]) -> (output: [Double], gradient: [Double]) {
        precondition(c.count == outputCount, "output weight size")
        let values = trace(x)
        var g = c
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            g = layers[i].pullback(at: values[i], cotangent: g)
        }
        if let box = inputClamp {
            for j in g.indices where x[j] < box.lower[j] || x[j] > box.upper[j] { g[j] = 0 }
        }
        return (values[values.count - 1], g)
    }
}

extension Conv2D {
    /// Multiply-adds of one application: each output takes a kernel over its group's input channels.
    fileprivate var multiplyAdds: Int { outputCount * (inputChannels / groups) * kernelHeight * kernelWidth }
}
