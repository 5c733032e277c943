/// An evaluation of the model as it is stored (not the folded `Network`): the independent replay that every
/// counterexample must pass before nncert prints `sat`.
public protocol ReferenceEvaluator: Sendable {
    /// The model's outputs at `input` (flat, row-major), computed in Float32 operator by operator; nil when the
    /// evaluation fails (a NaN, a shape problem).
    func evaluate(_ input: [Float]) -> [Float]?
}
