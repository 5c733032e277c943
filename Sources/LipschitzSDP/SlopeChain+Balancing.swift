import Foundation
import Tensor

extension SlopeChain {
    /// The same function with every hidden neuron rescaled so that its incoming and outgoing weights have equal
    /// ℓ₂ norms, and the scales: nil unless every operator is one dense matrix and some neuron moves.
    ///
    /// Positive scaling commutes with slope-restricted activations (`φ(c·v)` stays in `[α, β]·c·v`'s range):
    /// multiplying neuron `k`'s row of `W_i` by `c_k > 0` and its column of `W_{i+1}` by `1/c_k` leaves the
    /// network's function, and so its Lipschitz constant, unchanged. LipSDP-Neuron's optimum is unchanged too (a
    /// multiplier `t_k` becomes `t_k/c_k²`); the compositional and LipSDP-Layer bounds, whose multipliers are
    /// shared across a layer, are not, and neither is how fast the first-order solver converges. On ACAS Xu,
    /// whose input normalisation leaves a hidden neuron's incoming weights up to 10⁴× smaller than its outgoing
    /// ones, the balanced chain's compositional bound is 16× smaller and its LipSDP-Layer bound 5× smaller.
    ///
    /// Each sweep balances the hidden layers in order (`c_k = √(‖W_{i+1}e_k‖/‖e_kᵀW_i‖)`, rounded to a power of
    /// two); the sweeps minimise `Σ‖W_i‖²_F` over the rescalings, and a few suffice.
    func balanced(sweeps: Int = 8) -> (chain: SlopeChain, scales: [[Double]])? {
        guard var matrices = denseMatrices() else { return nil }
        var total = alpha.map { $0.map { _ in 1.0 } }
        for _ in 0..<sweeps {
            for i in 0..<hiddenLayerCount {
                let scales = Self.balancingScales(incoming: matrices[i], outgoing: matrices[i + 1])
                guard scales.contains(where: { $0 != 1 }) else { continue }
                guard Self.rescale(&matrices, layer: i, by: scales) else { return nil }
                for k in scales.indices { total[i][k] *= scales[k] }
            }
        }
        guard total.contains(where: { $0.contains { $0 != 1 } }) else { return nil }
        return (SlopeChain(operators: matrices.map { AffineOperator(dense: $0) }, alpha: alpha, beta: beta), total)
    }

    /// The same function with hidden neuron `k` of layer `i` rescaled by `scales[i][k]` (its row of `W_i`
    /// multiplied, its column of `W_{i+1}` divided): nil unless every operator is one dense matrix, the scales
    /// fit the hidden layers and are positive powers of two, and every weight stays normal (so the weights are
    /// scaled without rounding).
    func rescaled(by scales: [[Double]]) -> SlopeChain? {
        guard scales.map(\.count) == alpha.map(\.count),
            scales.allSatisfy({ $0.allSatisfy { $0 > 0 && $0.isFinite && $0.significand == 1 } }),
            var matrices = denseMatrices()
        else { return nil }
        for i in scales.indices { guard Self.rescale(&matrices, layer: i, by: scales[i]) else { return nil } }
        return SlopeChain(operators: matrices.map { AffineOperator(dense: $0) }, alpha: alpha, beta: beta)
    }

    /// Every operator's matrix (``AffineOperator/dense``), or nil when one is not a single dense step.
    private func denseMatrices() -> [Matrix]? {
        let matrices = operators.compactMap(\.dense)
        return matrices.count == operators.count ? matrices : nil
    }

    /// Rows of `matrices[layer]` times `scales`, columns of `matrices[layer + 1]` divided by them; false (the
    /// matrices then partly scaled) when a non-zero weight would leave the normal range, where a power of two no
    /// longer scales exactly.
    private static func rescale(_ matrices: inout [Matrix], layer i: Int, by scales: [Double]) -> Bool {
        for r in 0..<matrices[i].rows {
            for c in 0..<matrices[i].columns {
                matrices[i][r, c] *= scales[r]
                guard exact(matrices[i][r, c]) else { return false }
            }
        }
        let next = matrices[i + 1]
        for r in 0..<next.rows {
            for c in 0..<next.columns {
                matrices[i + 1][r, c] /= scales[c]
                guard exact(matrices[i + 1][r, c]) else { return false }
            }
        }
        return true
    }

    /// Zero, or a normal finite number (a power-of-two scaling of a normal number into the normal range is exact).
    private static func exact(_ x: Double) -> Bool { x == 0 || x.isNormal }

    /// Per neuron `k` (row of `incoming`, column of `outgoing`), the power of two nearest to
    /// `√(‖outgoing e_k‖/‖e_kᵀ incoming‖)`, or 1 where either norm is 0 or not finite. Powers of two scale the
    /// weights without rounding, so the rescaled chain computes exactly the same function.
    private static func balancingScales(incoming: Matrix, outgoing: Matrix) -> [Double] {
        (0..<incoming.rows).map { k in
            var a = 0.0, b = 0.0
            for c in 0..<incoming.columns { a += incoming[k, c] * incoming[k, c] }
            for r in 0..<outgoing.rows { b += outgoing[r, k] * outgoing[r, k] }
            let ratio = (b / a).squareRoot().squareRoot()
            guard a > 0, b > 0, ratio.isFinite, ratio > 0 else { return 1 }
            return Double(sign: .plus, exponent: Int(log2(ratio).rounded()), significand: 1)
        }
    }
}
