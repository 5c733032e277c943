public import Network
public import Tensor
import VNNLib

extension Verifier {
    /// Proves `|g_i(x) − f_i(x)| ≤ bounds[i]` for every output `i` and every `x` in `box`, or refutes it with an
    /// input where some `|g_i − f_i|` reaches its bound (confirmed on the difference network in Float64 and Float32), by
    /// branch and bound on the difference network `x ↦ g(x) − f(x)` (``Network/difference(original:compressed:)``).
    /// When the two networks share a layer structure, every node is also checked against certified bounds on
    /// `g − f` from difference propagation (``DifferentialScreen``), which keep the correlation between the two
    /// networks that the difference network's own bounds lose.
    ///
    /// Each violated side is one region (`g_i − f_i ≥ bounds[i]`, `g_i − f_i ≤ −bounds[i]`; none for an infinite
    /// bound), so a proof covers the closed inequality and a counterexample reaches it.
    /// - Throws: ``VerifierError/dimensionMismatch(what:expected:found:)`` when `bounds` does not have one entry
    ///   per output, ``VerifierError/unsupportedNetwork(_:)`` when the difference network cannot be built, and the
    ///   errors of ``verify(_:)-(VerificationProblem)``.
    public func verifyDifference(original f: Network, compressed g: Network, over box: Box, atMost bounds: [Double])
        throws(VerifierError) -> VerificationResult
    {
        let network: Network
        do {
            network = try Network.difference(original: f, compressed: g)
        } catch {
            throw .unsupportedNetwork("the difference of the two networks: \(error)")
        }
        let m = network.outputCount
        guard bounds.count == m else {
            throw .dimensionMismatch(what: "bounds on |g − f|", expected: m, found: bounds.count)
        }
        var regions: [OutputPolytope] = []
        for i in 0..<m where !(bounds[i] == .infinity) {
            for sign in [1.0, -1.0] {
                var c = [Double](repeating: 0, count: m)
                c[i] = -sign
                regions.append(OutputPolytope(rows: [LinearConstraint(coefficients: c, bound: -bounds[i])], outputCount: m))
            }
        }
        var problem = try VerificationProblem(network: network, cases: [.init(box: box, regions: regions)])
        if options.differentialScreen {
            problem.differenceRefuter = DifferentialScreen(original: f, compressed: g, differenceProblem: problem)
        }
        return try verify(problem)
    }
}
