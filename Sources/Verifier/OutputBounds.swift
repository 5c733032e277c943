public import Bounds
public import Network
public import Tensor

/// Certified bounds on a network's outputs over an input box: the library's bound query.
///
/// ```swift
/// let box = Box(lower: [-1, -1], upper: [1, 1])
/// let bounds = try OutputBounds.compute(network: network, over: box)   // alpha-CROWN
/// print(bounds.lower, bounds.upper)
/// ```
public enum OutputBounds {
    /// Bounds `l ≤ f(x) ≤ u` valid for every `x` in `box`.
    ///
    /// Lower bounds of `y_i` and of `−y_i` are computed by one back-substitution of the stacked objective
    /// `[I; −I]` with the chosen method, and intersected with interval bounds. For a network that clips its
    /// inputs (``Network/inputClamp``) the layers are bounded over the clipped box (``InputClamp``).
    /// - Throws: ``VerifierError`` when the box does not fit the network or a layer cannot be bounded.
    public static func compute(network: Network, over box: Box, method: BoundMethod = .alphaCrown)
        throws(VerifierError) -> Box
    {
        guard box.dimension == network.inputCount else {
            throw .dimensionMismatch(what: "input box", expected: network.inputCount, found: box.dimension)
        }
        guard box.isValid, box.lower.allSatisfy(\.isFinite), box.upper.allSatisfy(\.isFinite) else {
            throw .invalidProperty("the input box is empty or unbounded")
        }
        let box = InputClamp(network: network).clampedBox(box)
        let propagator: BoundPropagator
        do {
            propagator = try BoundPropagator(network: network)
        } catch {
            throw .unsupportedNetwork("\(error)")
        }
        let intermediateMethod: BoundMethod = method == .interval ? .interval : .crown
        let intermediate = propagator.intermediateBounds(
            over: box, splits: SplitSet(), method: intermediateMethod, reusing: nil, fromLayer: nil)
        if method == .interval { return intermediate.output }
        let n = network.outputCount
        var objective = Matrix(rows: 2 * n, columns: n)
        for i in 0..<n {
            objective[i, i] = 1
            objective[n + i, i] = -1
        }
        var options = BoundOptions()
        options.method = method
        let result = propagator.lowerBounds(
            of: objective, constants: nil, over: box, intermediate: intermediate, splits: SplitSet(), options: options)
        var lower = intermediate.output.lower
        var upper = intermediate.output.upper
        for i in 0..<n {
            if result.lower[i].isFinite { lower[i] = Swift.max(lower[i], result.lower[i]) }
            if result.lower[n + i].isFinite { upper[i] = Swift.min(upper[i], -result.lower[n + i]) }
        }
        return Box(lower: lower, upper: upper)
    }
}
