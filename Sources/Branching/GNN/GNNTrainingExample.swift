public import Bounds

/// One ranking example: a branch-and-bound node's graph features and the strong-branching scores of the
/// candidates that were evaluated there (higher is better). A data file holds many (``GNNDataFile``).
public struct GNNTrainingExample: Sendable, Hashable, Codable {
    /// Which network of the data set (an index into the file's networks).
    public var network: Int
    /// The node's features.
    public var features: GraphFeatures
    /// The evaluated candidates.
    public var candidates: [NeuronID]
    /// Strong-branching score of each candidate.
    public var scores: [Double]
    /// BaBSR's score of each candidate (a baseline for the ranking accuracy); empty when unknown.
    public var babsr: [Double]

    /// An example from its parts.
    public init(network: Int, features: GraphFeatures, candidates: [NeuronID], scores: [Double], babsr: [Double] = []) {
        self.network = network
        self.features = features
        self.candidates = candidates
        self.scores = scores
        self.babsr = babsr
    }

    /// The index of the best candidate (the first on ties), nil when no score is a number.
    public var best: Int? {
        var best: Int?
        for i in scores.indices where scores[i].isFinite && (best == nil || scores[i] > scores[best!]) { best = i }
        return best
    }

    /// True when `choice` (an index into ``candidates``) scores within `tolerance` of the best, relative to the
    /// spread of the scores.
    public func isGood(_ choice: Int, tolerance: Double) -> Bool {
        guard let b = best, scores.indices.contains(choice) else { return false }
        let finite = scores.filter(\.isFinite)
        let spread = (finite.max() ?? 0) - (finite.min() ?? 0)
        return scores[choice] >= scores[b] - tolerance * spread
    }
}

extension NeuronID: Codable {
    /// Decodes `[layer, neuron]`.
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(layer: try c.decode(Int.self), neuron: try c.decode(Int.self))
    }

    /// Encodes `[layer, neuron]`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(layer)
        try c.encode(neuron)
    }
}

/// The pairwise hinge ranking loss of Lu & Kumar: the best candidate `b`'s score `f_b` should exceed every
/// other candidate's `f_i` by a margin proportional to their strong-branching gap,
/// `ℓ = mean_{i≠b} max(0, γ·(s_b − s_i)/(s_b − s_min) − (f_b − f_i))`.
public struct GNNRankingLoss: Sendable {
    /// The margin `γ` for the largest gap. Default 1.
    public var margin: Double

    /// A loss.
    public init(margin: Double = 1) { self.margin = margin }

    /// The loss and `∂ℓ/∂f` of model scores `f` (one per candidate); zero when the scores do not rank (all equal
    /// or no number).
    public func evaluate(modelScores f: [Double], targets s: [Double]) -> (loss: Double, gradient: [Double]) {
        var d = [Double](repeating: 0, count: f.count)
        let idx = s.indices.filter { s[$0].isFinite && $0 < f.count }
        guard let b = idx.max(by: { s[$0] < s[$1] || (s[$0] == s[$1] && $0 > $1) }),
            let low = idx.map({ s[$0] }).min(), s[b] - low > 0
        else { return (0, d) }
        let spread = s[b] - low
        let others = idx.filter { $0 != b }
        var loss = 0.0
        for i in others {
            let m = margin * (s[b] - s[i]) / spread
            let h = m - (f[b] - f[i])
            if h > 0 {
                loss += h
                d[b] -= 1
                d[i] += 1
            }
        }
        let n = Double(others.count)
        return (loss / n, d.map { $0 / n })
    }
}
