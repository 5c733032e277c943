import Network
import Tensor

/// Bound rules of a 2-D transposed convolution `y = Kᵀ x + b` (``ConvTranspose2D``): back-substitution applies the
/// convolution `K` to all rows at once, the forward product its transpose, both through ``Conv2D``'s im2col and
/// BLAS products; never a dense matrix.
struct ConvTransposeBoundRule: AffineBoundRule {
    let layer: ConvTranspose2D
    /// The same layer with `|W|`.
    let absoluteLayer: ConvTranspose2D
    let bias: [Double]

    init(_ layer: ConvTranspose2D) {
        self.layer = layer
        absoluteLayer = layer.absolute
        bias = layer.expandedBias
    }

    var inputCount: Int { layer.inputCount }
    var outputCount: Int { layer.outputCount }

    func backward(_ lambda: Matrix) -> Matrix { layer.applyLinearTransposed(rows: lambda) }

    func forward(_ g: Matrix) -> Matrix { layer.applyLinear(rows: g) }

    func absoluteForward(_ v: [Double]) -> [Double] { absoluteLayer.applyLinear(v) }
}
