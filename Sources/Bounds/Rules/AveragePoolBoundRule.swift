import Network
import Tensor

/// Bound rules of average pooling: a linear map with weights `1/divisor` on each window.
struct AveragePoolBoundRule: AffineBoundRule {
    let inputCount: Int
    let outputCount: Int
    /// Input indices of each output's window.
    let windows: [[Int]]
    /// `1/divisor` of each window.
    let weights: [Double]

    init(_ pool: Pool2D) {
        inputCount = pool.channels * pool.inputHeight * pool.inputWidth
        outputCount = pool.outputCount
        var windows: [[Int]] = []
        var weights: [Double] = []
        for o in 0..<pool.outputCount {
            let w = pool.window(of: o)
            windows.append(w.indices)
            weights.append(1 / Double(w.divisor))
        }
        self.windows = windows
        self.weights = weights
    }

    var bias: [Double] { [Double](repeating: 0, count: outputCount) }

    func backward(_ lambda: Matrix) -> Matrix {
        var out = Matrix(rows: lambda.rows, columns: inputCount)
        for r in 0..<lambda.rows {
            for o in 0..<outputCount {
                let a = lambda[r, o] * weights[o]
                if a == 0 { continue }
                for i in windows[o] { out.storage[r * inputCount + i] += a }
            }
        }
        return out
    }

    func forward(_ g: Matrix) -> Matrix {
        var out = Matrix(rows: g.rows, columns: outputCount)
        for r in 0..<g.rows {
            for o in 0..<outputCount {
                var s = 0.0
                for i in windows[o] { s += g.storage[r * inputCount + i] }
                out.storage[r * outputCount + o] = s * weights[o]
            }
        }
        return out
    }

    func absoluteForward(_ v: [Double]) -> [Double] { forward(Matrix(rows: 1, columns: inputCount, storage: v)).storage }
}
