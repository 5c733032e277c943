import Bounds
import Foundation
import Network
import Tensor

/// Two classifiers that end in one softmax over all their outputs, bounded through their logits.
///
/// Along the segment from `f`'s logits `z` to `g`'s `z + Δ`, output `i`'s gradient is `y_i (e_i − y)`, so
/// `|Δy_i| = |∫ y_i Σ_{k≠i} y_k (Δ_i − Δ_k)| ≤ max y_i(1 − y_i) · max_{k≠i} |Δ_i − Δ_k|` (mean value theorem;
/// the `y_k` off `i` sum to `1 − y_i`). Each leaf of the refinement bounds the pairwise logit differences
/// `Δ_i − Δ_k` on both logit networks followed by the same layer `z ↦ (z_i − z_k)_{i<k}` (one layer structure, so
/// difference propagation applies), and `y_i(1 − y_i)` over the softmax interval that the hull of both networks'
/// bounds on those differences gives (``outputInterval(pairs:)``; the hull holds every point of the segment): the
/// smaller the leaf, the smaller the slope.
/// The product network, which relaxes both softmaxes separately, gave about 100 times the attacked difference on
/// an 8-bit MNIST-FC copy (docs/benchmarks.md).
struct SoftmaxHead: Sendable {
    /// The logits networks, each followed by the pairwise differences.
    let pairsOriginal: Network
    let pairsCompressed: Network
    let softmax: Softmax

    /// The most classes handled: the pairwise layer has `m(m − 1)/2` rows.
    static let maximumClasses = 64

    /// Nil unless both networks end in one softmax over all of their (2 to ``maximumClasses``) outputs.
    init?(original f: Network, compressed g: Network) {
        let m = f.outputCount
        guard m >= 2, m <= Self.maximumClasses, g.outputCount == m,
              let (logitsF, softmax) = f.splittingOutputSoftmax(), softmax.size == m,
              let (logitsG, other) = g.splittingOutputSoftmax(), other.size == m,
              let pairsF = Self.followedByPairs(logitsF, classes: m),
              let pairsG = Self.followedByPairs(logitsG, classes: m)
        else { return nil }
        (pairsOriginal, pairsCompressed, self.softmax) = (pairsF, pairsG, softmax)
    }

    /// The index of the row `z_i − z_k` (`i < k`) in the pairwise layer.
    static func row(_ i: Int, _ k: Int, classes m: Int) -> Int {
        let (a, b) = (min(i, k), max(i, k))
        return a * m - a * (a + 1) / 2 + (b - a - 1)
    }

    private static func followedByPairs(_ logits: Network, classes m: Int) -> Network? {
        var weights = Matrix(rows: m * (m - 1) / 2, columns: m)
        for i in 0..<m {
            for k in (i + 1)..<m {
                weights[row(i, k, classes: m), i] = 1
                weights[row(i, k, classes: m), k] = -1
            }
        }
        let pairs = Layer.dense(Dense(weights: weights, bias: Array(repeating: 0, count: weights.rows)))
        return try? Network(
            inputShape: logits.inputShape, layers: logits.layers + [pairs], inputName: logits.inputName,
            outputName: logits.outputName, inputClamp: logits.inputClamp)
    }

    /// Bounds of each network's pairwise logit differences over a leaf: the output of its pairs network, from the
    /// leaf's own intermediate bounds when it has them, else CROWN.
    func pairBounds(_ analysis: LeafAnalysis, box: Box, margins: SoundnessMargins) throws(DifferentialError)
        -> (f: Box, g: Box)
    {
        if let (f, g) = analysis.networks { return (f.output, g.output) }
        func crown(_ pairs: Network, _ name: String) throws(DifferentialError) -> Box {
            do {
                let clipped = pairs.inputClamp.map { $0.clamped(box) } ?? box
                return try BoundPropagator(network: pairs, margins: margins).intermediateBounds(over: clipped).output
            } catch {
                throw .bounds(network: name, error)
            }
        }
        return (try crown(pairsOriginal, "original"), try crown(pairsCompressed, "compressed"))
    }

    /// Bounds of the softmax outputs from bounds of the pairwise logit differences `z_i − z_k`:
    /// `y_i = 1 / (1 + Σ_{k≠i} e^{−(z_i − z_k)})`, monotone in each difference, rounded outward by a relative 1e-12
    /// (`exp`, the sum and the quotient are each within an ulp or so).
    func outputInterval(pairs: Box) -> Box {
        let m = softmax.size
        var lower = [Double](repeating: 0, count: m), upper = [Double](repeating: 1, count: m)
        for i in 0..<m {
            var (most, least) = (0.0, 0.0)
            for k in 0..<m where k != i {
                let r = Self.row(i, k, classes: m)
                // z_i − z_k is row r when i < k and its negation otherwise.
                let (low, high) = i < k ? (pairs.lower[r], pairs.upper[r]) : (-pairs.upper[r], -pairs.lower[r])
                most += Foundation.exp(-low)
                least += Foundation.exp(-high)
            }
            let below = 1 / (1 + most * (1 + 1e-12)) * (1 - 1e-12)
            let above = 1 / (1 + least * (1 - 1e-12)) * (1 + 1e-12)
            if !below.isNaN { lower[i] = max(0, below) }
            if !above.isNaN { upper[i] = min(1, above) }
        }
        return Box(lower: lower, upper: upper)
    }

    /// The softmax outputs' difference over a leaf from its pairwise logit differences `δ` and both networks'
    /// bounds of those differences there (naive bounds: the difference of the two softmax intervals).
    func outputBounds(delta: DifferenceBounds, pairsF: Box, pairsG: Box) -> DifferenceBounds {
        let m = softmax.size
        let hull = Box(lower: zip(pairsF.lower, pairsG.lower).map { min($0, $1) },
                       upper: zip(pairsF.upper, pairsG.upper).map { max($0, $1) })
        let y = outputInterval(pairs: hull)
        let (f, g) = (outputInterval(pairs: pairsF), outputInterval(pairs: pairsG))
        // Outward by a relative 1e-12 for the subtraction's rounding.
        let naiveLower = (0..<m).map { i in let d = g.lower[i] - f.upper[i]; return (d - abs(d) * 1e-12).nextDown }
        let naiveUpper = (0..<m).map { i in let d = g.upper[i] - f.lower[i]; return (d + abs(d) * 1e-12).nextUp }
        let differences = delta.maxAbsolute
        let magnitude = (0..<m).map { i in
            let steepest = (0..<m).filter { $0 != i }.map { differences[Self.row(i, $0, classes: m)] }.max() ?? 0
            // Outward by a relative 1e-12 for the products' rounding; never above 1.
            let bound = Self.peak(y.lower[i], y.upper[i]) * steepest * (1 + 1e-12)
            return bound.isNaN ? 1 : min(bound, 1)
        }
        return DifferenceBounds(
            lower: (0..<m).map { max(-magnitude[$0], naiveLower[$0].isNaN ? -1 : naiveLower[$0]) },
            upper: (0..<m).map { min(magnitude[$0], naiveUpper[$0].isNaN ? 1 : naiveUpper[$0]) },
            naiveLower: naiveLower, naiveUpper: naiveUpper)
    }

    /// `max y(1 − y)` over `y ∈ [a, b]`: 1/4 where the interval holds 1/2, else at the endpoint nearer to it.
    static func peak(_ a: Double, _ b: Double) -> Double {
        if a <= 0.5, b >= 0.5 { return 0.25 }
        let y = b < 0.5 ? b : a
        return y * (1 - y)
    }
}
