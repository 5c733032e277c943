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
            return zip(c.applyLinear(x), c.expandedBias).map { $0 + $1 }
        case let .convTranspose(t):
            return zip(t.applyLinear(x), t.expandedBias).map { $0 + $1 }
        default:
            return applyGeneric(x)
        }
    }

    /// Applies the layer to every row of `x` (one flat input per row) in Float64: ``apply(_:)-([Double])`` row by
    /// row, with dense and convolution layers as one BLAS product over all rows.
    public func apply(rows x: Matrix) -> Matrix {
        switch self {
        case let .dense(d):
            return x.multiplied(byTransposeOf: d.weights).addingToEachRow(d.bias)
        case let .conv2d(c):
            return c.applyLinear(rows: x).addingToEachRow(c.expandedBias)
        case let .convTranspose(t):
            return t.applyLinear(rows: x).addingToEachRow(t.expandedBias)
        case .relu:
            return Matrix(rows: x.rows, columns: x.columns, storage: x.storage.map { $0 > 0 ? $0 : 0 })
        case .reshape:
            return x
        case let .maxPool(p):
            return Self.maxPool(rows: x, windows: (0..<p.outputCount).map { p.window(of: $0).indices })
        case let .averagePool(p):
            return Self.averagePool(rows: x, windows: (0..<p.outputCount).map { p.window(of: $0) })
        case let .elementwise(e):
            var y = x
            for r in 0..<x.rows {
                for k in 0..<x.columns { y.storage[r * x.columns + k] = e.scale[k] * x.storage[r * x.columns + k] + e.shift[k] }
            }
            return y
        default:
            let outputs = (0..<x.rows).map { applyGeneric(x.row($0)) }
            return Matrix(rows: x.rows, columns: outputs.first?.count ?? 0, storage: outputs.flatMap { $0 })
        }
    }

    /// Each row's window maxima (as ``applyGeneric(_:)`` takes them), the windows listed once for all rows.
    private static func maxPool(rows x: Matrix, windows: [[Int]]) -> Matrix {
        pooled(rows: x, outputs: windows.count) { input, row, o in
            var m = -Double.infinity
            for i in windows[o] { m = Swift.max(m, input[row + i]) }
            return m
        }
    }

    /// Each row's window means, summed in window order and divided as ``applyGeneric(_:)`` does, the windows
    /// listed once for all rows.
    private static func averagePool(rows x: Matrix, windows: [(indices: [Int], divisor: Int)]) -> Matrix {
        pooled(rows: x, outputs: windows.count) { input, row, o in
            var s = 0.0
            for i in windows[o].indices { s += input[row + i] }
            return s / Double(windows[o].divisor)
        }
    }

    /// The `rows × outputs` matrix of `value(input, offset of the row, output)` over the rows of `x`.
    @inline(__always)
    private static func pooled(
        rows x: Matrix, outputs: Int, _ value: (UnsafeBufferPointer<Double>, Int, Int) -> Double
    ) -> Matrix {
        var y = Matrix(rows: x.rows, columns: outputs)
        x.storage.withUnsafeBufferPointer { input in
            y.storage.withUnsafeMutableBufferPointer { output in
                for r in 0..<x.rows {
                    for o in 0..<outputs { output[r * outputs + o] = value(input, r * x.columns, o) }
                }
            }
        }
        return y
    }

    /// Applies the layer to a flat input in Float32, with Float32 weights and Float32 accumulation, the way a
    /// Float32 runtime (ONNX Runtime) evaluates the model.
    public func apply(_ x: [Float]) -> [Float] { applyGeneric(x) }

    /// `bias + Σ_taps W·x` of a (transposed) convolution, tap by tap in `T` (`bias` has one entry per output).
    private static func tapProduct<T: BinaryFloatingPoint>(
        _ x: [T], weights: [Double], bias: [Double], taps: ((Int, Int, Int) -> Void) -> Void
    ) -> [T] {
        var y = [T](repeating: 0, count: bias.count)
        taps { out, inp, w in y[out] += T(weights[w]) * x[inp] }
        for i in y.indices { y[i] += T(bias[i]) }
        return y
    }

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
            return Self.tapProduct(x, weights: c.weights, bias: c.expandedBias, taps: c.forEachTap)
        case let .convTranspose(t):
            return Self.tapProduct(x, weights: t.adjoint.weights, bias: t.expandedBias, taps: t.forEachTap)
        case let .elementwise(e):
            return (0..<x.count).map { T(e.scale[$0]) * x[$0] + T(e.shift[$0]) }
        case .relu:
            return x.map { $0 > 0 ? $0 : 0 }
        case .sigmoid:
            return x.map { T(SmoothActivation.sigmoid.value(Double($0))) }
        case .tanh:
            return x.map { T(SmoothActivation.tanh.value(Double($0))) }
        case let .softmax(s):
            return s.apply(x.map { Double($0) }).map { T($0) }
        case let .maxPool(p):
            return (0..<p.outputCount).map { out in
                var m = -T.infinity
                p.forEachIndex(inWindowOf: out) { m = Swift.max(m, x[$0]) }
                return m
            }
        case let .averagePool(p):
            return (0..<p.outputCount).map { out in
                var sum: T = 0, count = 0
                p.forEachIndex(inWindowOf: out) { sum += x[$0]; count += 1 }
                return sum / T(p.countIncludePad ? p.kernelHeight * p.kernelWidth : count)
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
        case let .softmax(s):
            return s.pullback(at: input, cotangent: g)
        case let .maxPool(p):
            var out = [Double](repeating: 0, count: input.count)
            for o in 0..<p.outputCount {
                var best = -1
                p.forEachIndex(inWindowOf: o) { k in if best < 0 || input[k] > input[best] { best = k } }
                if best >= 0 { out[best] += g[o] }
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

extension Matrix {
    /// `self` with `v` added to each row.
    fileprivate func addingToEachRow(_ v: [Double]) -> Matrix {
        precondition(v.count == columns, "row length mismatch")
        var out = self
        out.storage.withUnsafeMutableBufferPointer { o in
            for r in 0..<rows { for c in 0..<columns { o[r * columns + c] += v[c] } }
        }
        return out
    }
}
