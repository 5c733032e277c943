import Network
import Tensor

/// Bound rules of max pooling (DeepPoly's relaxation).
///
/// Lower: `y ≥ x_p` for the window element `p` with the largest lower bound. Upper: `y = x_p` when `p`
/// dominates (`l_p ≥ u_i` for every other `i`), else the line `x_q + (M − l_q)` through the element `q` of largest
/// upper bound (`M` the largest other upper bound: `max x ≤ max(x_q, M) ≤ x_q + max(0, M − l_q)`) where it lies
/// below the constant `max_i u_i` at the centre of `q`'s interval (CROWN's adaptive choice), else that constant.
/// A line gives the back-substitution a coefficient on the window's leading element where the constant gives none.
struct MaxPoolBoundRule: NonlinearBoundRule {
    let inputCount: Int
    /// Input indices of each output's window (never empty).
    let windows: [[Int]]

    init(_ pool: Pool2D, layer: Int) throws(BoundsError) {
        inputCount = pool.channels * pool.inputHeight * pool.inputWidth
        windows = (0..<pool.outputCount).map { pool.window(of: $0).indices }
        if windows.contains(where: \.isEmpty) {
            throw .unsupportedLayer(layer: layer, kind: "MaxPool", reason: "a pooling window covers only padding")
        }
    }

    func interval(_ input: Box, margins: SoundnessMargins) -> Box {
        Box(lower: windows.map { w in w.reduce(-Double.infinity) { Swift.max($0, input.lower[$1]) } },
            upper: windows.map { w in w.reduce(-Double.infinity) { Swift.max($0, input.upper[$1]) } })
    }

    func relaxation(for input: Box, margins: SoundnessMargins) -> Relaxation {
        let n = windows.count
        var lowerIndex = [Int](repeating: 0, count: n)
        var upperIndex = [Int](repeating: 0, count: n)
        var upperSlope = [Double](repeating: 0, count: n)
        var upperIntercept = upperSlope
        for (o, w) in windows.enumerated() {
            let p = PoolWindow.largestLower(w, in: input)
            lowerIndex[o] = p
            upperIndex[o] = p
            let othersUpper = PoolWindow.largestUpper(w, in: input, excluding: p)
            if input.lower[p] >= othersUpper {
                upperSlope[o] = 1
            } else if let (q, intercept) = Self.upperLine(w, input) {
                upperIndex[o] = q
                upperSlope[o] = 1
                upperIntercept[o] = intercept
            } else {
                upperIntercept[o] = Swift.max(othersUpper, input.upper[p])
            }
        }
        return Relaxation(
            inputCount: inputCount, lowerIndex: lowerIndex, lowerSlope: [Double](repeating: 1, count: n),
            lowerIntercept: [Double](repeating: 0, count: n), upperIndex: upperIndex, upperSlope: upperSlope,
            upperIntercept: upperIntercept, freeSlopes: [])
    }

    /// The line `x_q + c` (`q`, `c`) of the window `w` when it beats the constant `u_q` at `q`'s centre; nil otherwise
    /// or when a bound is not finite. `c = M − l_q > 0` here (no element dominates), rounded up.
    private static func upperLine(_ w: [Int], _ input: Box) -> (Int, Double)? {
        guard let q = w.max(by: { input.upper[$0] < input.upper[$1] }) else { return nil }
        let others = PoolWindow.largestUpper(w, in: input, excluding: q)
        let (l, u) = (input.lower[q], input.upper[q])
        guard l.isFinite, u.isFinite, others.isFinite, others > l else { return nil }
        let intercept = (others - l).nextUp
        return (l + u) / 2 + intercept < u ? (q, intercept) : nil
    }
}
