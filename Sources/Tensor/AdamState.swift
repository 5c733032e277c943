import Foundation

/// Adam (Kingma & Ba 2015, "Adam: a method for stochastic optimization") moment estimates for a flat vector of
/// parameters: the one implementation behind alpha-CROWN's slope and multiplier ascent (Bounds) and the
/// first-order LipSDP solver (LipschitzSDP).
///
/// An iteration is one ``advance()`` (it fixes the bias corrections `1 − β₁ᵗ`, `1 − β₂ᵗ`) followed by
/// ``update(at:gradient:rate:)`` for each entry to move; ``step(_:rate:)`` does both for every entry. The state
/// returns updates and never applies them: the caller adds them (ascent) or subtracts them (descent) and projects
/// the parameters as its problem needs.
public struct AdamState: Sendable {
    /// Decay of the first-moment estimate `β₁`.
    public let beta1: Double
    /// Decay of the second-moment estimate `β₂`.
    public let beta2: Double
    /// Added to `√v̂` in the denominator of every update.
    public let epsilon: Double
    /// First-moment estimates `m`, one per parameter (all zero before the first update).
    public private(set) var first: [Double]
    /// Second-moment estimates `v`, one per parameter.
    public private(set) var second: [Double]
    /// Iterations so far (``advance()`` calls).
    public private(set) var steps = 0
    private var firstCorrection = 1.0
    private var secondCorrection = 1.0

    /// Zero moments for `count` parameters. Defaults are Kingma & Ba's `β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8`.
    public init(count: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        first = [Double](repeating: 0, count: count)
        second = first
    }

    /// Number of parameters.
    public var count: Int { first.count }

    /// Starts the next iteration.
    public mutating func advance() {
        steps += 1
        firstCorrection = 1 - pow(beta1, Double(steps))
        secondCorrection = 1 - pow(beta2, Double(steps))
    }

    /// Updates the moments of parameter `i` with its gradient `g` and returns the step
    /// `rate · m̂ / (√v̂ + ε)` of the current iteration (the caller adds it to ascend, subtracts it to descend).
    public mutating func update(at i: Int, gradient g: Double, rate: Double) -> Double {
        Self.moved(&first[i], &second[i], gradient: g, rate: rate, corrections: (firstCorrection, secondCorrection),
                   beta: (beta1, beta2), epsilon: epsilon)
    }

    /// Kingma & Ba's update of one parameter's moments `m`, `v` with gradient `g`, and its step
    /// `rate · m̂ / (√v̂ + ε)`: the one formula of ``update(at:gradient:rate:)`` and
    /// ``ascend(_:gradient:rate:upper:)``.
    @inline(__always)
    private static func moved(
        _ m: inout Double, _ v: inout Double, gradient g: Double, rate: Double, corrections: (Double, Double),
        beta: (Double, Double), epsilon: Double
    ) -> Double {
        m = beta.0 * m + (1 - beta.0) * g
        v = beta.1 * v + (1 - beta.1) * g * g
        return rate * (m / corrections.0) / ((v / corrections.1).squareRoot() + epsilon)
    }

    /// Projected ascent of `values` (`count` entries) in the current iteration: for each entry,
    /// ``update(at:gradient:rate:)`` with its gradient (a non-finite gradient counts as 0), the step added and the
    /// value clamped to `[0, upper]`. An entry whose gradient and first moment are both 0 is left as it is, moments
    /// included. One pass over contiguous storage.
    public mutating func ascend(_ values: inout [Double], gradient g: [Double], rate: Double, upper: Double) {
        precondition(g.count == count && values.count == count, "gradient size")
        let (beta, corrections, eps) = ((beta1, beta2), (firstCorrection, secondCorrection), epsilon)
        first.withUnsafeMutableBufferPointer { m in
            second.withUnsafeMutableBufferPointer { v in
                values.withUnsafeMutableBufferPointer { x in
                    g.withUnsafeBufferPointer { g in
                        for i in 0..<g.count {
                            let gi = g[i].isFinite ? g[i] : 0
                            if gi == 0 && m[i] == 0 { continue }
                            let step = Self.moved(
                                &m[i], &v[i], gradient: gi, rate: rate, corrections: corrections, beta: beta,
                                epsilon: eps)
                            x[i] = Swift.min(upper, Swift.max(0, x[i] + step))
                        }
                    }
                }
            }
        }
    }

    /// One iteration on every parameter: ``advance()``, then the steps for the gradient `g` (`count` entries).
    public mutating func step(_ g: [Double], rate: Double) -> [Double] {
        precondition(g.count == count, "gradient size")
        advance()
        return (0..<count).map { update(at: $0, gradient: g[$0], rate: rate) }
    }
}
