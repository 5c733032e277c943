import Bounds
import Differential
import Network
import Tensor

/// `|g − f|` for two classifiers that end in one softmax over all their outputs, bounded through their logits.
///
/// Along the segment from `f`'s logits `z` to `g`'s `z + Δ`, output `i`'s gradient is
/// `y_i (e_i − y)`, so `|Δy_i| = |∫ y_i Σ_{k≠i} y_k (Δ_i − Δ_k)| ≤ max y_i(1 − y_i) · max_{k≠i} |Δ_i − Δ_k|`
/// (mean value theorem; the `y_k` off `i` sum to `1 − y_i`). The pairwise logit differences `Δ_i − Δ_k` are
/// certified by difference propagation on both logit networks followed by the same layer `z ↦ (z_i − z_k)_{i<k}`
/// (one layer structure, so the refinement and proof stages apply as to any pair), and `y_i(1 − y_i)` is bounded
/// over the softmax interval of the hull of both networks' logit bounds (which holds every point of the segment).
/// The product network, which relaxes both softmaxes separately, was about 100 times the attacked difference on
/// an 8-bit MNIST-FC copy (docs/benchmarks.md).
struct SoftmaxDifference: Sendable {
    let original: Network
    let compressed: Network
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
        (original, compressed, pairsOriginal, pairsCompressed, self.softmax) = (f, g, pairsF, pairsG, softmax)
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

    /// The certified bounds of the softmax outputs' difference over `box`: `certifier` bounds the pairwise logit
    /// differences (its leaves, stop and method are reported), its attack runs again on the whole networks.
    func compute(over box: Box, certifier: DifferenceCertifier) throws(DifferentialError) -> DifferenceRefinement {
        var result = try certifier.computeDirectly(original: pairsOriginal, compressed: pairsCompressed, over: box)
        let pairs = result.bounds.maxAbsolute
        let (f, g) = (try outputBounds(original, box, "original"), try outputBounds(compressed, box, "compressed"))
        let hull = Box(lower: zip(f.logits.lower, g.logits.lower).map { min($0, $1) },
                       upper: zip(f.logits.upper, g.logits.upper).map { max($0, $1) })
        let y = softmax.outputInterval(over: hull)
        let m = softmax.size
        let naive = (lower: (0..<m).map { g.outputs.lower[$0] - f.outputs.upper[$0] },
                     upper: (0..<m).map { g.outputs.upper[$0] - f.outputs.lower[$0] })
        let bound = (0..<m).map { i in
            let steepest = (0..<m).filter { $0 != i }.map { pairs[Self.row(i, $0, classes: m)] }.max() ?? 0
            let slope = Self.peak(y.lower[i], y.upper[i])
            // Outward by a relative 1e-12 for the products' rounding; never above the naive bound or 1.
            let widened = slope * steepest * (1 + 1e-12)
            let capped = max(abs(naive.lower[i]), abs(naive.upper[i])) * (1 + 1e-12)
            return min(widened.isNaN ? .infinity : widened, capped.isNaN ? .infinity : capped, 1)
        }
        result.bounds = DifferenceBounds(
            lower: bound.map { -$0 }, upper: bound, naiveLower: naive.lower, naiveUpper: naive.upper)
        // The attack on the softmax outputs, raised at the inputs where the pairwise attack found its largest
        // logit differences.
        let logitsAttack = result.attack
        result.attack = certifier.budget.attack?.run(original: original, compressed: compressed, over: box)
        for x in logitsAttack?.inputs ?? [] {
            if let attack = result.attack,
               let raised = DifferenceCertifier.raised(attack, at: x, original, compressed) { result.attack = raised }
        }
        return result
    }

    /// `max y(1 − y)` over `y ∈ [a, b]`: 1/4 where the interval holds 1/2, else at the endpoint nearer to it.
    static func peak(_ a: Double, _ b: Double) -> Double {
        if a <= 0.5, b >= 0.5 { return 0.25 }
        let y = b < 0.5 ? b : a
        return y * (1 - y)
    }

    /// CROWN bounds of a network's logits and of its softmax outputs over `box`.
    private func outputBounds(_ network: Network, _ box: Box, _ name: String) throws(DifferentialError)
        -> (logits: Box, outputs: Box)
    {
        let (logits, _) = network.splittingOutputSoftmax()!
        let propagator: BoundPropagator
        do {
            propagator = try BoundPropagator(network: logits)
        } catch {
            throw .bounds(network: name, error)
        }
        let z = propagator.intermediateBounds(over: box).output
        return (z, softmax.outputInterval(over: z))
    }
}
