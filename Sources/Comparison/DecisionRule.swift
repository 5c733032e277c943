/// How a classifier turns its scores into a decision.
public enum DecisionRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// The class of the highest score (image classifiers).
    case argmax
    /// The class of the lowest score (ACAS Xu's advisories).
    case argmin
}
