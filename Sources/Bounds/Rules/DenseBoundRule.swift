import Network
import Tensor

/// Bound rules of a fully connected layer `y = W x + b`; products through BLAS.
struct DenseBoundRule: AffineBoundRule {
    let weights: Matrix
    /// `|W|`, precomputed for interval radii and soundness margins.
    let absoluteWeights: Matrix
    let bias: [Double]

    init(_ dense: Dense) {
        weights = dense.weights
        absoluteWeights = Matrix(rows: dense.weights.rows, columns: dense.weights.columns,
                                 storage: dense.weights.storage.map { Swift.abs($0) })
        bias = dense.bias
    }

    var inputCount: Int { weights.columns }
    var outputCount: Int { weights.rows }

    /// `Λ·W` (GEMM).
    func backward(_ lambda: Matrix) -> Matrix { lambda.multiplied(by: weights) }

    /// `G·Wᵀ` (GEMM).
    func forward(_ g: Matrix) -> Matrix { g.multiplied(byTransposeOf: weights) }

    func absoluteForward(_ v: [Double]) -> [Double] { absoluteWeights.multiplied(by: v) }
}
