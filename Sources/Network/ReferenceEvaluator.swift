/// An evaluation of the model as it is stored (not the folded `Network`): the independent replay that every
/// counterexample must pass before nncert prints `sat`.
public protocol ReferenceEvaluator: Sendable {
    /// The model's outputs at `input` (flat, row-major), computed in Float32 operator by operator; nil when the
    /// evaluation fails (a NaN, a shape problem).
    func evaluate(_ input: [Float]) -> [Float]?
    /// The model's outputs at `input` followed by the values of the tensors the evaluator taps (a query's hidden
    /// nodes, flat, in the order they were given); by default the outputs alone (an evaluator that taps none).
    func evaluateWithTaps(_ input: [Float]) -> [Float]?
}

extension ReferenceEvaluator {
    /// The outputs alone.
    public func evaluateWithTaps(_ input: [Float]) -> [Float]? { evaluate(input) }
}
