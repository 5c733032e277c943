import Network
import Tensor

/// Bound rules of a fully connected layer `y = W x + b`; products through BLAS.
struct DenseBoundRule: AffineBoundRule {
    let weights: Matrix
    /// `|W|`, precomputed for interval radii and soundness margins.
    let absoluteWeights: Matrix
    let bias: [Double]
    /// True when every weight is finite (so that a zero coefficient contributes an exact zero).
    let weightsAreFinite: Bool

    init(_ dense: Dense) {
        weights = dense.weights
        weightsAreFinite = dense.weights.storage.allSatisfy(\.isFinite)
        absoluteWeights = Matrix(rows: dense.weights.rows, columns: dense.weights.columns,
                                 storage: dense.weights.storage.map { Swift.abs($0) })
        bias = dense.bias
    }

    var inputCount: Int { weights.columns }
    var outputCount: Int { weights.rows }

    /// `Λ·W` (GEMM), over the columns of `Λ` that are not all zero when the weights are finite (those of the
    /// neurons a ReLU relaxation after this layer proved inactive are).
    func backward(_ lambda: Matrix) -> Matrix {
        weightsAreFinite ? lambda.multipliedSkippingZeroColumns(by: weights) : lambda.multiplied(by: weights)
    }

    /// `G·Wᵀ` (GEMM).
    func forward(_ g: Matrix) -> Matrix { g.multiplied(byTransposeOf: weights) }

    func absoluteForward(_ v: [Double]) -> [Double] { absoluteWeights.multiplied(by: v) }
}
