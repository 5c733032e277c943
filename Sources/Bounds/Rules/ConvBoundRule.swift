import Network
import Tensor

/// Bound rules of a 2-D convolution: back-substitution applies the transposed convolution to each row, never a
/// dense matrix.
struct ConvBoundRule: AffineBoundRule {
    let conv: Conv2D
    /// The same geometry with `|W|`.
    let absoluteConv: Conv2D
    let bias: [Double]

    init(_ conv: Conv2D) {
        self.conv = conv
        var abs = conv
        abs.weights = conv.weights.map { Swift.abs($0) }
        absoluteConv = abs
        bias = conv.expandedBias
    }

    var inputCount: Int { conv.inputCount }
    var outputCount: Int { conv.outputCount }

    func backward(_ lambda: Matrix) -> Matrix {
        mapRows(lambda, columns: inputCount) { conv.applyLinearTransposed($0) }
    }

    func forward(_ g: Matrix) -> Matrix {
        mapRows(g, columns: outputCount) { conv.applyLinear($0) }
    }

    func absoluteForward(_ v: [Double]) -> [Double] { absoluteConv.applyLinear(v) }
}

/// Applies `transform` to every row of `m`, producing a `m.rows × columns` matrix.
func mapRows(_ m: Matrix, columns: Int, _ transform: ([Double]) -> [Double]) -> Matrix {
    var storage: [Double] = []
    storage.reserveCapacity(m.rows * columns)
    for r in 0..<m.rows { storage.append(contentsOf: transform(m.row(r))) }
    return Matrix(rows: m.rows, columns: columns, storage: storage)
}
