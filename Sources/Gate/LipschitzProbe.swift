import Network
import Tensor

/// A lower bound on a network's ℓ₂ Lipschitz constant from a pair of inputs: `‖g(x′) − g(x)‖₂ / ‖x′ − x‖₂`.
///
/// At sampled points `x` of the given boxes the Jacobian `J` (one reverse pass per output) gives the direction `v`
/// of largest local growth (the top right singular vector of `J`, by power iteration on `J Jᵀ`); the secant to
/// `x′ = x + t·v` is then computed from two Float64 forward passes. Any pair of inputs bounds the Lipschitz constant
/// from below, so the result holds whatever the sampling found; it is not certified against the rounding of the
/// two forward passes (relative error about 1e-15 of the outputs, far below the secant over `t`).
struct LipschitzProbe: Sendable {
    /// Random points per box (beside its centre).
    var samples = 32
    /// The secant step relative to the box width (at least 1e-6 absolute).
    var relativeStep = 1e-4
    /// Seed of the sampling.
    var seed: UInt64 = 0

    /// The best pair found and its ratio.
    struct Witness: Sendable, Hashable {
        var ratio: Double
        var x: [Double]
        var xPrime: [Double]
    }

    /// The largest secant ratio found over `boxes`; nil when the network is constant at every sample.
    func lowerBound(of network: Network, over boxes: [Box]) -> Witness? {
        var generator = SplitMix64(seed: seed)
        var best: Witness?
        for box in boxes {
            let width = max(box.widths.max() ?? 0, 1e-2)
            var points = [box.center]
            for _ in 0..<samples {
                points.append(zip(box.lower, box.upper).map { $0 + Double.random(in: 0...1, using: &generator) * ($1 - $0) })
            }
            for x in points {
                guard let witness = secant(network, at: x, step: max(width * relativeStep, 1e-6)) else { continue }
                if witness.ratio > (best?.ratio ?? 0) { best = witness }
            }
        }
        return best
    }

    /// The secant along the top singular direction of the Jacobian at `x`.
    private func secant(_ network: Network, at x: [Double], step: Double) -> Witness? {
        let m = network.outputCount
        let rows = (0..<m).map { i in
            network.valueAndGradient(at: x, outputWeights: (0..<m).map { $0 == i ? 1.0 : 0.0 }).gradient
        }
        guard let v = Self.topDirection(rows) else { return nil }
        let xPrime = zip(x, v).map { $0 + step * $1 }
        let distance = Self.norm(zip(xPrime, x).map { $0 - $1 })
        guard distance > 0 else { return nil }
        let change = Self.norm(zip(network.evaluate(xPrime), network.evaluate(x)).map { $0 - $1 })
        let ratio = change / distance
        return ratio.isFinite && ratio > 0 ? Witness(ratio: ratio, x: x, xPrime: xPrime) : nil
    }

    /// The unit vector `v` maximising `‖J v‖` (approximately: 30 power iterations on `J Jᵀ` from all ones).
    static func topDirection(_ jacobian: [[Double]]) -> [Double]? {
        let m = jacobian.count
        guard m > 0 else { return nil }
        let gram = (0..<m).map { i in (0..<m).map { j in dot(jacobian[i], jacobian[j]) } }
        var u = [Double](repeating: 1, count: m)
        for _ in 0..<30 {
            let next = gram.map { dot($0, u) }
            let n = norm(next)
            guard n > 0, n.isFinite else { break }
            u = next.map { $0 / n }
        }
        var v = [Double](repeating: 0, count: jacobian[0].count)
        for (i, row) in jacobian.enumerated() { for j in row.indices { v[j] += u[i] * row[j] } }
        let n = norm(v)
        return n > 0 && n.isFinite ? v.map { $0 / n } : nil
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    private static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
}
