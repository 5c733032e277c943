import Network
import Tensor

/// Bound rules of max pooling (DeepPoly's relaxation).
///
/// Lower: `y ≥ x_p` for the window element `p` with the largest lower bound. Upper: `y = x_p` when `p`
/// dominates (`l_p ≥ u_i` for every other `i`), else the constant `max_i u_i`.
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
        var upperSlope = [Double](repeating: 0, count: n)
        var upperIntercept = upperSlope
        for (o, w) in windows.enumerated() {
            var p = w[0]
            for i in w where input.lower[i] > input.lower[p] { p = i }
            lowerIndex[o] = p
            let othersUpper = w.reduce(-Double.infinity) { $1 == p ? $0 : Swift.max($0, input.upper[$1]) }
            if input.lower[p] >= othersUpper {
                upperSlope[o] = 1
            } else {
                upperIntercept[o] = Swift.max(othersUpper, input.upper[p])
            }
        }
        return Relaxation(
            inputCount: inputCount, lowerIndex: lowerIndex, lowerSlope: [Double](repeating: 1, count: n),
            lowerIntercept: [Double](repeating: 0, count: n), upperIndex: lowerIndex, upperSlope: upperSlope,
            upperIntercept: upperIntercept, freeSlopes: [])
    }
}
