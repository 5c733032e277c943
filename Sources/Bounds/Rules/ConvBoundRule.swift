import Network
import Tensor

/// Bound rules of a 2-D convolution: back-substitution applies the transposed convolution to all rows at once
/// (im2col and one BLAS product per block of rows, ``Conv2D/applyLinearTransposed(rows:)``), never a dense matrix.
struct ConvBoundRule: AffineBoundRule {
    let conv: Conv2D
    /// The same geometry with `|W|`.
    let absoluteConv: Conv2D
    let bias: [Double]

    init(_ conv: Conv2D) {
        self.conv = conv
        absoluteConv = conv.absolute
        bias = conv.expandedBias
    }

    var inputCount: Int { conv.inputCount }
    var outputCount: Int { conv.outputCount }

    func backward(_ lambda: Matrix) -> Matrix {
        conv.applyLinearTransposed(rows: lambda)
    }

    func forward(_ g: Matrix) -> Matrix {
        conv.applyLinear(rows: g)
    }

    func absoluteForward(_ v: [Double]) -> [Double] { absoluteConv.applyLinear(v) }
}
