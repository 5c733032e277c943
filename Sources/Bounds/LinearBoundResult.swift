public import Tensor

/// Certified lower bounds of linear functions of a network's output, with the linear bound that certifies them.
///
/// For objective row `i` (`c_i`, constant `k_i`) and every input `x` of the region that satisfies the splits:
/// `inputCoefficients[i]·x + inputConstants[i] ≤ c_iᵀ f(x) + k_i`, and `lower[i] ≤ c_iᵀ f(x) + k_i`.
public struct LinearBoundResult: Sendable {
    /// Certified lower bound of each objective row over the region (−∞ when not computable, +∞ when the region
    /// is infeasible under the splits). Already widened by the soundness margin.
    public var lower: [Double]
    /// `rows × inputCount`: the input coefficients `a_i` of the linear lower bound. The minimiser of `a_iᵀx` over
    /// the box is a candidate counterexample; `|a_ij|·width_j` scores input splits.
    public var inputCoefficients: Matrix
    /// The constants `c_i` of the linear lower bound (not widened by the margin).
    public var inputConstants: [Double]
    /// Per ReLU layer index: `rows × neurons`, the back-substituted coefficient λ on that ReLU's output for each
    /// objective row (used by BaBSR-style branching scores).
    public var reluCoefficients: [Int: Matrix]
    /// With alpha-CROWN and when asked for (``ObjectiveQuery/keepsSlopes``), the slopes and split multipliers
    /// that gave each row's bound (to warm-start a sub-problem); nil otherwise.
    public var slopes: OptimisedSlopes?

    /// A result from its parts.
    public init(
        lower: [Double], inputCoefficients: Matrix, inputConstants: [Double], reluCoefficients: [Int: Matrix],
        slopes: OptimisedSlopes? = nil
    ) {
        self.lower = lower
        self.inputCoefficients = inputCoefficients
        self.inputConstants = inputConstants
        self.reluCoefficients = reluCoefficients
        self.slopes = slopes
    }
}
