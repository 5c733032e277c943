public import Bounds
/// What the node's LP relaxation said about one output region, keyed by network neuron: the evidence a learned
/// branching heuristic reads (Lu & Kumar 2020 feed the LP's primal values and the triangle rows' duals).
public struct LPEvidence: Sendable, Hashable {
    /// The LP's minimal margin `max_i (c_i·y − d_i)` (GLPK's value, not certified).
    public var margin: Double
    /// The certified lower bound on the margin (weak duality), when the LP refuted the region.
    public var certifiedBound: Double?
    /// The LP's input point (nil when the LP refuted the region).
    public var input: [Double]?
    /// Per unstable ReLU neuron: the LP's pre-activation value.
    public var preActivation: [NeuronID: Double]
    /// Per unstable ReLU neuron: the dual of its triangle (upper) row, `z ≤ u(v − l)/(u − l)`.
    public var upperDual: [NeuronID: Double]
    /// Per unstable ReLU neuron: the dual of its row `z ≥ v`.
    public var lowerDual: [NeuronID: Double]

    /// Evidence from its parts.
    public init(
        margin: Double, certifiedBound: Double? = nil, input: [Double]? = nil, preActivation: [NeuronID: Double] = [:],
        upperDual: [NeuronID: Double] = [:], lowerDual: [NeuronID: Double] = [:]
    ) {
        self.margin = margin
        self.certifiedBound = certifiedBound
        self.input = input
        self.preActivation = preActivation
        self.upperDual = upperDual
        self.lowerDual = lowerDual
    }
}
