import Tensor

/// The bound-propagation interface of an affine layer `y = A x + b` (dense, conv, elementwise, average pool,
/// reshape). One conformer per layer kind (auto_LiRPA's per-operator `interval_propagate` / `bound_backward`).
protocol AffineBoundRule: Sendable {
    /// Number of input elements.
    var inputCount: Int { get }
    /// Number of output elements.
    var outputCount: Int { get }
    /// The expanded bias `b` (one per output element).
    var bias: [Double] { get }
    /// Back-substitution: `Λ ↦ Λ·A` for `Λ` of shape `rows × outputCount`; returns `rows × inputCount`.
    func backward(_ lambda: Matrix) -> Matrix
    /// The adjoint of ``backward(_:)``: `G ↦ G·Aᵀ`, `rows × inputCount → rows × outputCount` (applies the
    /// linear part to each row).
    func forward(_ g: Matrix) -> Matrix
    /// `|A|·v` for a nonnegative `v` of length `inputCount`.
    func absoluteForward(_ v: [Double]) -> [Double]
}

extension AffineBoundRule {
    /// Interval propagation by centre and radius: `A c + b ± |A| r`, widened by the margin on
    /// `|A||c| + |A| r + |b|`.
    func interval(_ box: Box, margins: SoundnessMargins) -> Box {
        let n = box.dimension
        var center = [Double](repeating: 0, count: n)
        var radius = [Double](repeating: 0, count: n)
        for i in 0..<n {
            center[i] = box.lower[i] * 0.5 + box.upper[i] * 0.5
            radius[i] = box.upper[i] * 0.5 - box.lower[i] * 0.5
        }
        let c = forward(Matrix(rows: 1, columns: n, storage: center)).storage
        let r = absoluteForward(radius)
        let m = absoluteForward(center.map { Swift.abs($0) })
        var lower = [Double](repeating: 0, count: outputCount)
        var upper = lower
        let b = bias
        for i in 0..<outputCount {
            let mid = c[i] + b[i]
            let widen = margins.widening(m[i] + r[i] + Swift.abs(b[i]))
            lower[i] = mid - r[i] - widen
            upper[i] = mid + r[i] + widen
        }
        return Box(lower: lower, upper: upper)
    }
}

/// The bound-propagation interface of a nonlinear layer (ReLU, sigmoid, tanh, max pool): interval propagation and
/// a linear relaxation built from the bounds of its input.
protocol NonlinearBoundRule: Sendable {
    /// Bounds of the output given bounds of the input (sound, widened outward).
    func interval(_ input: Box, margins: SoundnessMargins) -> Box
    /// A sound linear relaxation valid for every input in `input`.
    func relaxation(for input: Box, margins: SoundnessMargins) -> Relaxation
}
