import Tensor

/// A linear relaxation of a nonlinear layer in which each output depends on one input element per side:
/// `lowerSlope_j · x[lowerIndex_j] + lowerIntercept_j ≤ y_j ≤ upperSlope_j · x[upperIndex_j] + upperIntercept_j`.
///
/// Covers elementwise activations (index `j` on both sides) and max pooling (the dominant window element).
/// For ReLU, ``freeSlopes`` lists the unstable neurons whose lower slope `α ∈ [0, 1]` may be chosen freely
/// (`α·x ≤ relu(x)` for every `α ∈ [0, 1]`), which alpha-CROWN optimises.
public struct Relaxation: Sendable {
    /// Number of input elements.
    var inputCount: Int
    var lowerIndex: [Int]
    /// Slope of each output's lower line.
    public internal(set) var lowerSlope: [Double]
    /// Intercept of each output's lower line.
    public internal(set) var lowerIntercept: [Double]
    var upperIndex: [Int]
    /// Slope of each output's upper line.
    public internal(set) var upperSlope: [Double]
    /// Intercept of each output's upper line (already lifted for rounding).
    public internal(set) var upperIntercept: [Double]
    /// Neurons whose lower slope is free in `[0, 1]` with zero intercept (unstable ReLUs).
    public internal(set) var freeSlopes: [Int]

    /// Number of output elements.
    public var outputCount: Int { lowerSlope.count }

    /// An elementwise relaxation (index `j` on both sides).
    init(lowerSlope: [Double], lowerIntercept: [Double], upperSlope: [Double], upperIntercept: [Double],
         freeSlopes: [Int] = []) {
        let identity = Array(0..<lowerSlope.count)
        self.init(inputCount: lowerSlope.count, lowerIndex: identity, lowerSlope: lowerSlope,
                  lowerIntercept: lowerIntercept, upperIndex: identity, upperSlope: upperSlope,
                  upperIntercept: upperIntercept, freeSlopes: freeSlopes)
    }

    init(inputCount: Int, lowerIndex: [Int], lowerSlope: [Double], lowerIntercept: [Double], upperIndex: [Int],
         upperSlope: [Double], upperIntercept: [Double], freeSlopes: [Int]) {
        self.inputCount = inputCount
        self.lowerIndex = lowerIndex
        self.lowerSlope = lowerSlope
        self.lowerIntercept = lowerIntercept
        self.upperIndex = upperIndex
        self.upperSlope = upperSlope
        self.upperIntercept = upperIntercept
        self.freeSlopes = freeSlopes
    }
}

extension Relaxation {
    /// Back-substitution of a lower bound `Λ·y` through the relaxation: a nonnegative coefficient takes the lower
    /// relaxation, a negative one the upper. Per-row lower slopes `alpha` (`rows × outputCount`, read only at
    /// ``freeSlopes``) override ``lowerSlope``.
    ///
    /// - Returns: `Λ'` (`rows × inputCount`) and, per row, the constant added and the magnitude of the terms
    ///   (for the soundness margin), with `inputMagnitude` bounding `|x|`.
    func backward(_ lambda: Matrix, alpha: Matrix?, inputMagnitude: [Double])
        -> (lambda: Matrix, constant: [Double], magnitude: [Double])
    {
        let rows = lambda.rows, n = outputCount, m = inputCount
        var out = Matrix(rows: rows, columns: m)
        var constant = [Double](repeating: 0, count: rows)
        var magnitude = constant
        var isFree = [Bool](repeating: false, count: n)
        for j in freeSlopes { isFree[j] = true }
        lambda.storage.withUnsafeBufferPointer { lam in
            out.storage.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    var c = 0.0, mag = 0.0
                    for j in 0..<n {
                        let a = lam[r * n + j]
                        if a == 0 { continue }
                        let index: Int, slope: Double, intercept: Double
                        if a >= 0 {
                            index = lowerIndex[j]
                            slope = isFree[j] ? (alpha?[r, j] ?? lowerSlope[j]) : lowerSlope[j]
                            intercept = lowerIntercept[j]
                        } else {
                            index = upperIndex[j]
                            slope = upperSlope[j]
                            intercept = upperIntercept[j]
                        }
                        o[r * m + index] += a * slope
                        c += a * intercept
                        mag += Swift.abs(a) * (Swift.abs(intercept) + Swift.abs(slope) * inputMagnitude[index])
                    }
                    constant[r] = c
                    magnitude[r] = mag
                }
            }
        }
        return (out, constant, magnitude)
    }

    /// The adjoint of ``backward(_:alpha:inputMagnitude:)`` for the sign pattern of `lambda`: given
    /// `G = ∂bound/∂Λ'` (`rows × inputCount`), returns `∂bound/∂Λ` (`rows × outputCount`) and accumulates
    /// `∂bound/∂α` into `alphaGradient` (at ``freeSlopes``).
    func adjoint(_ g: Matrix, lambda: Matrix, alpha: Matrix?, alphaGradient: inout Matrix) -> Matrix {
        let rows = lambda.rows, n = outputCount, m = inputCount
        var out = Matrix(rows: rows, columns: n)
        var isFree = [Bool](repeating: false, count: n)
        for j in freeSlopes { isFree[j] = true }
        for r in 0..<rows {
            for j in 0..<n {
                let a = lambda[r, j]
                if a >= 0 {
                    let gi = g.storage[r * m + lowerIndex[j]]
                    let slope = isFree[j] ? (alpha?[r, j] ?? lowerSlope[j]) : lowerSlope[j]
                    out.storage[r * n + j] = gi * slope + lowerIntercept[j]
                    if isFree[j] { alphaGradient[r, j] += gi * a }
                } else {
                    out.storage[r * n + j] = g.storage[r * m + upperIndex[j]] * upperSlope[j] + upperIntercept[j]
                }
            }
        }
        return out
    }
}
