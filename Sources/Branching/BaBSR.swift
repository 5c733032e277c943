import Bounds

/// BaBSR (Bunel, Lu, Turkaslan, Torr, Kohli & Kumar, "Branch and Bound for Piecewise Linear Neural Network
/// Verification", JMLR 2020): estimate how much splitting a neuron would raise the node's lower bound from the
/// back-substituted coefficient `λ` on its output.
///
/// For an unstable neuron with pre-activation bounds `l < 0 < u`, a negative `λ` picks the upper (chord)
/// relaxation, whose intercept `−u·l/(u − l)` costs `|λ|·(−u·l)/(u − l)` in the bound; splitting removes that
/// cost. Summed over the node's open objective rows; the interval width breaks ties.
public struct BaBSR: BranchingHeuristic {
    /// A BaBSR heuristic.
    public init() {}

    /// The BaBSR scores.
    public func score(_ candidates: [NeuronID], context: BranchingContext) -> [Double] {
        candidates.map { c in
            let box = context.bounds.tensors[c.layer]
            let l = box.lower[c.neuron], u = box.upper[c.neuron]
            let intercept = -u * l / (u - l)
            var s = 0.0
            if let lambda = context.linearBound.reluCoefficients[c.layer] {
                for row in context.objectiveRows {
                    let v = lambda[row, c.neuron]
                    if v < 0 { s += -v * intercept }
                }
            }
            return s + 1e-9 * (u - l)
        }
    }
}
