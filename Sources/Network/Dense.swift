public import Tensor

/// A fully connected layer `y = W x + b`.
public struct Dense: Sendable, Hashable {
    /// Weight matrix, `outputs × inputs`, row-major.
    public var weights: Matrix
    /// Bias, one per output.
    public var bias: [Double]

    /// A dense layer. `bias.count` must equal `weights.rows`.
    public init(weights: Matrix, bias: [Double]) {
        precondition(bias.count == weights.rows, "dense bias size mismatch")
        self.weights = weights
        self.bias = bias
    }

    /// Number of inputs.
    public var inputCount: Int { weights.columns }
    /// Number of outputs.
    public var outputCount: Int { weights.rows }
}
