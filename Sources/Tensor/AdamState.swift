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
        first[i] = beta1 * first[i] + (1 - beta1) * g
        second[i] = beta2 * second[i] + (1 - beta2) * g * g
        return rate * (first[i] / firstCorrection) / ((second[i] / secondCorrection).squareRoot() + epsilon)
    }

    /// One iteration on every parameter: ``advance()``, then the steps for the gradient `g` (`count` entries).
    public mutating func step(_ g: [Double], rate: Double) -> [Double] {
        precondition(g.count == count, "gradient size")
        advance()
        return (0..<count).map { update(at: $0, gradient: g[$0], rate: rate) }
    }
}
