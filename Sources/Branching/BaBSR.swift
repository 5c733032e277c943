import Bounds

/// BaBSR (Bunel, Lu, Turkaslan, Torr, Kohli & Kumar, "Branch and Bound for Piecewise Linear Neural Network
/// Verification", JMLR 2020): estimate how much splitting a neuron would raise the node's lower bound from the
/// back-substituted coefficient `λ` on its output.
///
/// For an unstable neuron with pre-activation bounds `l < 0 < u`, a negative `λ` picks the upper (chord)
/// relaxation, whose intercept `−u·l/(u − l)` costs `|λ|·(−u·l)/(u − l)` in the bound; splitting removes that
/// cost. Summed over the node's open objective rows; the interval width breaks ties. This *intercept score* is
/// the heuristic's score; ``biasAwareScore(_:context:bias:)`` is the paper's full estimate, which also weighs the
/// neuron's pre-activation bias.
public struct BaBSR: BranchingHeuristic {
    /// A BaBSR heuristic.
    public init() {}

    /// The BaBSR (intercept) scores.
    public func score(_ candidates: [NeuronID], context: BranchingContext) -> [Double] {
        candidates.map { c in
            let (l, u) = Self.interval(c, context)
            var s = 0.0
            Self.forEachCoefficient(of: c, context) { v in if v < 0 { s += -v * Self.intercept(l, u) } }
            return s + 1e-9 * (u - l)
        }
    }

    /// The paper's estimate with the bias term: per open objective row, `|max(bλ(r − 1), bλr) + min(λ, 0)·i|`
    /// with `r = u/(u − l)` the chord's slope, `i` its intercept and `b` the neuron's pre-activation bias
    /// (`bias[k]` of the neuron's layer, ``PreActivationBias``), summed over the rows.
    public static func biasAwareScore(_ candidates: [NeuronID], context: BranchingContext, bias: PreActivationBias)
        -> [Double]
    {
        candidates.map { c in
            let (l, u) = interval(c, context)
            let b = bias.bias(ofLayer: c.layer).map { c.neuron < $0.count ? $0[c.neuron] : 0 } ?? 0
            let slope = u / (u - l)
            var s = 0.0
            forEachCoefficient(of: c, context) { v in
                s += abs(Swift.max(b * v * (slope - 1), b * v * slope) + Swift.min(v, 0) * intercept(l, u))
            }
            return s.isFinite ? s : 0
        }
    }

    private static func interval(_ c: NeuronID, _ context: BranchingContext) -> (Double, Double) {
        let box = context.bounds.tensors[c.layer]
        return (box.lower[c.neuron], box.upper[c.neuron])
    }

    /// The chord's intercept `−u·l/(u − l)`.
    private static func intercept(_ l: Double, _ u: Double) -> Double { -u * l / (u - l) }

    /// Calls `body` with the neuron's coefficient `λ` in each open objective row's linear bound.
    private static func forEachCoefficient(of c: NeuronID, _ context: BranchingContext, _ body: (Double) -> Void) {
        guard let lambda = context.linearBound.reluCoefficients[c.layer] else { return }
        for row in context.objectiveRows { body(lambda[row, c.neuron]) }
    }
}
