import Bounds
import Network
import Tensor

/// The difference rule of max pooling: bounds and linear bounds of `δ' = max_{k∈w} x_g[k] − max_{k∈w} x_f[k]`
/// per pooling window `w`, from intervals of `x_f`, `x_g` and `δ = x_g − x_f` on the window.
///
/// - **Always**: `max(x_g) − max(x_f)` lies between `min_k δ_k` and `max_k δ_k` (with `p` the argmax of `x_f`,
///   `max(x_g) − x_f[p] ≥ δ_p`; with `q` the argmax of `x_g`, `x_g[q] − max(x_f) ≤ δ_q`), so
///   `[min_k d_l[k], max_k d_u[k]]`.
/// - **`p` dominates in f** (`l_f[p] ≥ u_f[k]` for every other `k`, so `max(x_f) = x_f[p]`):
///   `δ' = max(x_g) − x_f[p] ≥ x_g[p] − x_f[p] = δ_p`, a lower line.
/// - **`q` dominates in g**: `δ' = x_g[q] − max(x_f) ≤ x_g[q] − x_f[q] = δ_q`, an upper line.
/// - Both at the same index: `δ' = δ_p` exactly.
///
/// The original network's own output takes DeepPoly's lines (as `Bounds`' max-pool rule): `x_f' ≥ x_f[p]` for
/// the element of largest lower bound, `x_f' = x_f[p]` where `p` dominates, else the constant `max_k u_f[k]`.
/// Nothing here rounds: the rules take minima and maxima of bounds and move coefficients to window elements.
struct MaxPoolDifference: Sendable {
    /// Input indices of each output's window (never empty: ``StructureCheck`` refuses windows of padding only).
    let windows: [[Int]]
    /// Per output, the window element of largest lower bound in f.
    let largestLowerF: [Int]
    /// Per output, the element that dominates the window in f, if one does.
    let dominantF: [Int?]
    /// Per output, the element that dominates the window in g, if one does.
    let dominantG: [Int?]
    /// Per output, the upper bound `max_k u_f[k]` of `x_f'`.
    let upperF: [Double]
    /// Bounds of `δ'` per output (the interval step).
    let delta: Box

    /// The rule for one layer of geometry `pool`, whose inputs lie in `inputF` (`x_f`), `inputG` (`x_g`) and
    /// `delta` (`δ`).
    init(pool: Pool2D, inputF: Box, inputG: Box, delta: Box) {
        windows = (0..<pool.outputCount).map { pool.window(of: $0).indices }
        largestLowerF = windows.map { PoolWindow.largestLower($0, in: inputF) }
        dominantF = windows.map { PoolWindow.dominant($0, in: inputF) }
        dominantG = windows.map { PoolWindow.dominant($0, in: inputG) }
        upperF = windows.map { PoolWindow.largestUpper($0, in: inputF) }
        var lower = windows.map { w in w.reduce(Double.infinity) { min($0, delta.lower[$1]) } }
        var upper = windows.map { w in w.reduce(-Double.infinity) { max($0, delta.upper[$1]) } }
        for o in windows.indices {
            if let p = dominantF[o] { lower[o] = max(lower[o], delta.lower[p]) }
            if let q = dominantG[o] { upper[o] = min(upper[o], delta.upper[q]) }
        }
        self.delta = Box(lower: lower, upper: upper)
    }
}
