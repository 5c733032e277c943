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
    public internal(set) var freeSlopes: [Int] {
        didSet {
            isFree = Self.mask(freeSlopes, count: lowerSlope.count)
            classify()
        }
    }
    /// `isFree[j]` iff `j` is in ``freeSlopes`` (the hot loops' lookup).
    private(set) var isFree: [Bool]
    /// Outputs whose two lines coincide and are not free (a stably active ReLU): the sign of a coefficient does not
    /// choose between them. Outputs whose lines are both zero (a stably inactive ReLU) are in neither list: they add
    /// nothing to a back-substitution.
    private(set) var exactOutputs: [Int] = []
    /// The other outputs (unstable neurons, max pooling windows): the sign of a coefficient picks the line.
    private(set) var sidedOutputs: [Int] = []

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
        isFree = Self.mask(freeSlopes, count: lowerSlope.count)
        classify()
    }

    /// Sorts the outputs into ``exactOutputs``, ``sidedOutputs`` and the zero ones.
    private mutating func classify() {
        exactOutputs = []
        sidedOutputs = []
        for j in 0..<lowerSlope.count {
            let same = lowerIndex[j] == upperIndex[j] && lowerSlope[j] == upperSlope[j]
                && lowerIntercept[j] == upperIntercept[j] && !isFree[j]
            if !same {
                sidedOutputs.append(j)
            } else if lowerSlope[j] != 0 || lowerIntercept[j] != 0 {
                exactOutputs.append(j)
            }
        }
    }

    private static func mask(_ indices: [Int], count: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: count)
        for j in indices { mask[j] = true }
        return mask
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
        precondition(lambda.columns == n && alpha.map { $0.rows == rows && $0.columns == n } ?? true, "shape")
        var out = Matrix(rows: rows, columns: m)
        var constant = [Double](repeating: 0, count: rows)
        var magnitude = constant
        let slopes = alpha.map { $0.storage } ?? []
        // An exact output's term magnitude per unit coefficient, `|intercept| + |slope|·|x|`, is the same in every row.
        let exactMagnitude = exactOutputs.map { j in
            Swift.abs(lowerIntercept[j]) + Swift.abs(lowerSlope[j]) * inputMagnitude[lowerIndex[j]]
        }
        withLines { line in
            lambda.storage.withUnsafeBufferPointer { lam in
                slopes.withUnsafeBufferPointer { alpha in
                    inputMagnitude.withUnsafeBufferPointer { bound in
                        out.storage.withUnsafeMutableBufferPointer { o in
                            exactMagnitude.withUnsafeBufferPointer { exactMagnitude in
                                for r in 0..<rows {
                                    var c = 0.0, mag = 0.0
                                    for k in 0..<line.exact.count {
                                        let j = line.exact[k], a = lam[r * n + j]
                                        if a == 0 { continue }
                                        o[r * m + line.lowerIndex[j]] += a * line.lowerSlope[j]
                                        c += a * line.lowerIntercept[j]
                                        mag += Swift.abs(a) * exactMagnitude[k]
                                    }
                                    for j in line.sided {
                                        let a = lam[r * n + j]
                                        if a == 0 { continue }
                                        let index: Int, slope: Double, intercept: Double
                                        if a >= 0 {
                                            index = line.lowerIndex[j]
                                            slope = line.isFree[j] && !alpha.isEmpty ? alpha[r * n + j] : line.lowerSlope[j]
                                            intercept = line.lowerIntercept[j]
                                        } else {
                                            index = line.upperIndex[j]
                                            slope = line.upperSlope[j]
                                            intercept = line.upperIntercept[j]
                                        }
                                        o[r * m + index] += a * slope
                                        c += a * intercept
                                        mag += Swift.abs(a) * (Swift.abs(intercept) + Swift.abs(slope) * bound[index])
                                    }
                                    constant[r] = c
                                    magnitude[r] = mag
                                }
                            }
                        }
                    }
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
        precondition(lambda.columns == n && alpha.map { $0.rows == rows && $0.columns == n } ?? true, "shape")
        precondition(g.rows == rows && g.columns == m && alphaGradient.storage.count == rows * n, "shape")
        var out = Matrix(rows: rows, columns: n)
        let slopes = alpha.map { $0.storage } ?? []
        withLines { line in
            lambda.storage.withUnsafeBufferPointer { lam in
                g.storage.withUnsafeBufferPointer { g in
                    slopes.withUnsafeBufferPointer { alpha in
                        out.storage.withUnsafeMutableBufferPointer { o in
                            alphaGradient.storage.withUnsafeMutableBufferPointer { gradient in
                                for r in 0..<rows {
                                    // A zero output's entry stays 0; an exact one's does not depend on the sign.
                                    for j in line.exact {
                                        o[r * n + j] = g[r * m + line.lowerIndex[j]] * line.lowerSlope[j]
                                            + line.lowerIntercept[j]
                                    }
                                    for j in line.sided {
                                        let a = lam[r * n + j]
                                        if a >= 0 {
                                            let gi = g[r * m + line.lowerIndex[j]]
                                            let free = line.isFree[j]
                                            let slope = free && !alpha.isEmpty ? alpha[r * n + j] : line.lowerSlope[j]
                                            o[r * n + j] = gi * slope + line.lowerIntercept[j]
                                            if free { gradient[r * n + j] += gi * a }
                                        } else {
                                            o[r * n + j] = g[r * m + line.upperIndex[j]] * line.upperSlope[j]
                                                + line.upperIntercept[j]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The relaxation's per-neuron arrays as buffers, for the hot loops of ``backward(_:alpha:inputMagnitude:)``
    /// and ``adjoint(_:lambda:alpha:alphaGradient:)``.
    private func withLines<R>(_ body: (Lines) -> R) -> R {
        lowerIndex.withUnsafeBufferPointer { li in
            lowerSlope.withUnsafeBufferPointer { ls in
                lowerIntercept.withUnsafeBufferPointer { lc in
                    upperIndex.withUnsafeBufferPointer { ui in
                        upperSlope.withUnsafeBufferPointer { us in
                            upperIntercept.withUnsafeBufferPointer { uc in
                                isFree.withUnsafeBufferPointer { free in
                                    exactOutputs.withUnsafeBufferPointer { exact in
                                        sidedOutputs.withUnsafeBufferPointer { sided in
                                            body(Lines(lowerIndex: li, lowerSlope: ls, lowerIntercept: lc,
                                                       upperIndex: ui, upperSlope: us, upperIntercept: uc,
                                                       isFree: free, exact: exact, sided: sided))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Buffers over a relaxation's arrays (valid inside ``withLines(_:)`` only).
    private struct Lines {
        let lowerIndex: UnsafeBufferPointer<Int>
        let lowerSlope: UnsafeBufferPointer<Double>
        let lowerIntercept: UnsafeBufferPointer<Double>
        let upperIndex: UnsafeBufferPointer<Int>
        let upperSlope: UnsafeBufferPointer<Double>
        let upperIntercept: UnsafeBufferPointer<Double>
        let isFree: UnsafeBufferPointer<Bool>
        let exact: UnsafeBufferPointer<Int>
        let sided: UnsafeBufferPointer<Int>
    }
}
