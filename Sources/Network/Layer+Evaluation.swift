import Tensor

extension Layer {
    /// Applies the layer to a flat input in Float64 (dense products through BLAS).
    public func apply(_ x: [Double]) -> [Double] {
        switch self {
        case let .dense(d):
            var y = d.weights.multiplied(by: x)
            for i in y.indices { y[i] += d.bias[i] }
            return y
        case let .conv2d(c):
            var y = c.applyLinear(x)
            let plane = c.outputHeight * c.outputWidth
            for o in 0..<c.outputChannels { for k in 0..<plane { y[o * plane + k] += c.bias[o] } }
            return y
        case let .convTranspose(t):
            let y = t.applyLinear(x), b = t.expandedBias
            return (0..<y.count).map { y[$0] + b[$0] }
        default:
            return applyGeneric(x)
        }
    }

    /// Applies the layer to a flat input in Float32, with Float32 weights and Float32 accumulation, the way a
    /// Float32 runtime (ONNX Runtime) evaluates the model.
    public func apply(_ x: [Float]) -> [Float] { applyGeneric(x) }

    @inline(__always)
    private func applyGeneric<T: BinaryFloatingPoint>(_ x: [T]) -> [T] {
        switch self {
        case let .dense(d):
            let n = d.weights.columns
            var y = [T](repeating: 0, count: d.weights.rows)
            d.weights.storage.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { px in
                    for r in 0..<d.weights.rows {
                        var s: T = 0
                        let base = r * n
                        for c in 0..<n { s += T(w[base + c]) * px[c] }
                        y[r] = s + T(d.bias[r])
                    }
                }
            }
            return y
        case let .conv2d(c):
            var y = [T](repeating: 0, count: c.outputCount)
            c.forEachTap { out, inp, w in y[out] += T(c.weights[w]) * x[inp] }
            let plane = c.outputHeight * c.outputWidth
            for o in 0..<c.outputChannels { for k in 0..<plane { y[o * plane + k] += T(c.bias[o]) } }
            return y
        case let .convTranspose(t):
            var y = [T](repeating: 0, count: t.outputCount)
            let w = t.adjoint.weights
            t.forEachTap { out, inp, k in y[out] += T(w[k]) * x[inp] }
            let plane = t.outputHeight * t.outputWidth
            for m in 0..<t.outputChannels { for k in 0..<plane { y[m * plane + k] += T(t.bias[m]) } }
            return y
        case let .elementwise(e):
            return (0..<x.count).map { T(e.scale[$0]) * x[$0] + T(e.shift[$0]) }
        case .relu:
            return x.map { $0 > 0 ? $0 : 0 }
        case .sigmoid:
            return x.map { T(SmoothActivation.sigmoid.value(Double($0))) }
        case .tanh:
            return x.map { T(SmoothActivation.tanh.value(Double($0))) }
        case let .maxPool(p):
            return (0..<p.outputCount).map { out in
                p.window(of: out).indices.reduce(-T.infinity) { Swift.max($0, x[$1]) }
            }
        case let .averagePool(p):
            return (0..<p.outputCount).map { out in
                let w = p.window(of: out)
                return w.indices.reduce(T(0)) { $0 + x[$1] } / T(w.divisor)
            }
        case .reshape:
            return x
        }
    }

    /// The vector–Jacobian product at `input`: given `cotangent = ∂ℓ/∂y`, returns `∂ℓ/∂x`.
    ///
    /// ReLU's derivative at 0 is taken as 0; max pooling routes to the first maximal element.
    public func pullback(at input: [Double], cotangent g: [Double]) -> [Double] {
        switch self {
        case let .dense(d):
            return d.weights.transposeMultiplied(by: g)
        case let .conv2d(c):
            return c.applyLinearTransposed(g)
        case let .convTranspose(t):
            return t.applyLinearTransposed(g)
        case let .elementwise(e):
            return (0..<g.count).map { e.scale[$0] * g[$0] }
        case .relu:
            return (0..<g.count).map { input[$0] > 0 ? g[$0] : 0 }
        case .sigmoid:
            return (0..<g.count).map { i in
                let s = SmoothActivation.sigmoid.value(input[i])
                return g[i] * s * (1 - s)
            }
        case .tanh:
            return (0..<g.count).map { g[$0] * SmoothActivation.tanh.derivative(input[$0]) }
        case let .maxPool(p):
            var out = [Double](repeating: 0, count: input.count)
            for o in 0..<p.outputCount {
                let idx = p.window(of: o).indices
                guard var best = idx.first else { continue }
                for k in idx where input[k] > input[best] { best = k }
                out[best] += g[o]
            }
            return out
        case let .averagePool(p):
            var out = [Double](repeating: 0, count: input.count)
            for o in 0..<p.outputCount {
                let w = p.window(of: o)
                for k in w.indices { out[k] += g[o] / Double(w.divisor) }
            }
            return out
        case .reshape:
            return g
        }
    }
}
