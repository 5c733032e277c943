import Foundation

/// Softmax over the last axis: the flat tensor is read as consecutive groups of ``size`` elements, and each group
/// `x` becomes `e^{x_i} / Σ_j e^{x_j}` (ONNX `Softmax` on its last axis, as PyTorch exports `nn.Softmax(dim=-1)`).
///
/// Bounds rest on one identity: with `S_i = Σ_{j≠i} e^{x_j}` over the rest of `i`'s group,
/// `softmax_i(x) = σ(x_i − log S_i)` (σ the logistic sigmoid), which is increasing in `x_i` and decreasing in every
/// other `x_j`. So over a box, `σ(x_i − log S_i(upper)) ≤ softmax_i(x) ≤ σ(x_i − log S_i(lower))`: two sigmoids of
/// `x_i` alone (``logOthers(of:in:)``).
public struct Softmax: Sendable, Hashable {
    /// Elements per group (the length of the softmax axis).
    public let size: Int

    /// Softmax over groups of `size` consecutive elements.
    public init(size: Int) {
        self.size = size
    }

    /// `softmax` of every group of `x` (whose count is a multiple of ``size``), computed stably (the group's
    /// maximum subtracted first).
    public func apply(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for start in stride(from: 0, to: x.count, by: size) {
            let group = start..<(start + size)
            let top = x[group].max() ?? 0
            var sum = 0.0
            for i in group {
                y[i] = exp(x[i] - top)
                sum += y[i]
            }
            for i in group { y[i] /= sum }
        }
        return y
    }

    /// The vector–Jacobian product at `x`: `∂ℓ/∂x_i = y_i (g_i − Σ_j g_j y_j)` within each group.
    public func pullback(at x: [Double], cotangent g: [Double]) -> [Double] {
        let y = apply(x)
        var out = [Double](repeating: 0, count: x.count)
        for start in stride(from: 0, to: x.count, by: size) {
            let group = start..<(start + size)
            let dot = group.reduce(0.0) { $0 + g[$1] * y[$1] }
            for i in group { out[i] = y[i] * (g[i] - dot) }
        }
        return out
    }

    /// `log Σ_{j≠i} e^{v_j}` over the rest of `i`'s group in `v` (`−∞` for a group of one), computed stably. The
    /// caller widens it for rounding.
    public func logOthers(of i: Int, in v: [Double]) -> Double {
        let start = i - i % size
        var top = -Double.infinity
        for j in start..<(start + size) where j != i { top = Swift.max(top, v[j]) }
        guard top.isFinite else { return top }
        var sum = 0.0
        for j in start..<(start + size) where j != i { sum += exp(v[j] - top) }
        return top + log(sum)
    }

    /// The l2 Lipschitz constant of softmax: its Jacobian `diag(y) − y yᵀ` has `vᵀJv = Var_y(v) ≤ (max v − min v)²/4
    /// ≤ ‖v‖²/2` (Popoviciu), so `‖J‖₂ ≤ 1/2` everywhere.
    public static let lipschitzConstant = 0.5
}

extension Network {
    /// The network without its output softmax (and the reshapes after it, which keep the order) and that softmax,
    /// nil when the last layer other than a reshape is not a softmax.
    public func splittingOutputSoftmax() -> (logits: Network, softmax: Softmax)? {
        guard let last = layers.lastIndex(where: { if case .reshape = $0 { false } else { true } }),
              case let .softmax(softmax) = layers[last],
              let logits = try? Network(
                  inputShape: inputShape, layers: Array(layers[..<last]), inputName: inputName, outputName: outputName,
                  inputClamp: inputClamp)
        else { return nil }
        return (logits, softmax)
    }
}
