import Comparison
import Differential
import Network
import Tensor
import VNNLib
import Verifier

extension Gate {
    /// `max |g_i − f_i|` over the property's boxes must be within each output's limit. Passes when every certified
    /// bound is within its limit; fails when an attacked input shows a difference over a limit (re-evaluated here by
    /// Float64 forward passes of both networks); undecided otherwise. The time limit is shared by the boxes: half
    /// for the bounds (``Comparison/Comparator/difference(_:_:over:caseIndex:)``), the rest, when a box's bound
    /// exceeds a limit that no attack reached, for branch and bound proving `|g_i − f_i| ≤ limit_i` there directly
    /// (``Verifier/Verifier/verifyDifference(original:compressed:over:atMost:)``).
    func differenceCheck(
        _ p: GatePolicy.Property, _ spec: Specification, timeout: Double, _ f: ComparedNetwork, _ g: ComparedNetwork
    ) -> CheckOutcome {
        guard let policy = policy.difference else { return CheckOutcome(status: .skipped, message: "no limits") }
        let limits = (0..<f.network.outputCount).map { policy.limit(property: p.path, output: $0) ?? .infinity }
        let deadline = ContinuousClock.now + .seconds(timeout)
        var cases = boundedDifferences(spec, seconds: timeout / 2, f.network, g.network)
        let witness = Self.confirmedExcess(cases, limits: limits, f.network, g.network)
            ?? proveLimits(&cases, spec, limits, deadline: deadline, f.network, g.network)
        let outputs = limits.indices
        let certified = outputs.map { i in cases.map { $0.certified[i] }.max() ?? 0 }
        let attacked = outputs.map { i in cases.map { $0.attacked[i] }.max() ?? 0 }
        // The output whose certified bound is worst relative to its limit is the one the table shows.
        let worst = outputs.max { certified[$0] / limits[$0] < certified[$1] / limits[$1] } ?? 0
        var details = [
            "bound": Self.format(certified[worst]), "limit": Self.format(limits[worst]), "output": String(worst),
            "certified": Self.vector(certified), "attacked": Self.vector(attacked), "limits": Self.vector(limits),
        ]
        if let witness {
            details.merge(witness.details) { $1 }
            return failed(witness.message, details)
        }
        if zip(certified, limits).allSatisfy({ $0 <= $1 }) {
            return passed("certified max |g − f| within the limits (worst: output \(worst), "
                + "\(Self.format(certified[worst])) ≤ \(Self.format(limits[worst])))", details)
        }
        return undecided("certified bound \(Self.format(certified[worst])) on output \(worst) exceeds the limit "
            + "\(Self.format(limits[worst])); the largest difference found is \(Self.format(attacked[worst]))", details)
    }

    /// Stage 1: bounds on `|g − f|` over each of the property's boxes, `seconds` shared among them.
    private func boundedDifferences(_ spec: Specification, seconds: Double, _ f: Network, _ g: Network)
        -> [CaseDifference]
    {
        var options = ComparisonOptions(verification: verification, lipschitzMethod: nil, decision: nil)
        options.difference = DifferenceBudget(
            maxLeaves: 100_000, timeLimit: seconds / Double(max(spec.cases.count, 1)), targetRatio: 2,
            attack: DifferenceAttack())
        let comparator = Comparator(options: options)
        return spec.cases.enumerated().map { k, c in comparator.difference(f, g, over: c.inputBox, caseIndex: k) }
    }

    /// Stage 2: on each box whose bound exceeds a limit, branch and bound proving `|g_i − f_i| ≤ limit_i` until
    /// `deadline`; a proven box's bounds become the limits where tighter. Returns the failure of a counterexample
    /// it finds (recomputed by Float64 forward passes), or nil.
    private func proveLimits(
        _ cases: inout [CaseDifference], _ spec: Specification, _ limits: [Double], deadline: ContinuousClock.Instant,
        _ f: Network, _ g: Network
    ) -> (message: String, details: [String: String])? {
        for k in cases.indices where zip(cases[k].certified, limits).contains(where: { $0 > $1 }) {
            let left = (deadline - ContinuousClock.now).seconds
            guard left > 0.5 else { break }
            var proving = verification
            proving.timeout = left
            let verdict = (try? Verifier(options: proving).verifyDifference(
                original: f, compressed: g, over: spec.cases[k].inputBox, atMost: limits))?.verdict
            switch verdict {
            case .proven?:
                cases[k].certified = zip(cases[k].certified, limits).map { Swift.min($0, $1) }
            case let .violated(cex)?:
                if let witness = Self.excess(at: cex.input, caseIndex: k, limits: limits, f, g) { return witness }
            default:
                break
            }
        }
        return nil
    }

    /// An attacked input at which some `|g_i − f_i|`, recomputed, exceeds output `i`'s limit.
    private static func confirmedExcess(
        _ cases: [CaseDifference], limits: [Double], _ f: Network, _ g: Network
    ) -> (message: String, details: [String: String])? {
        for d in cases {
            for i in limits.indices where d.attacked[i] > limits[i] {
                if let witness = excess(at: d.attackedInputs[i], caseIndex: d.caseIndex, limits: limits, f, g) {
                    return witness
                }
            }
        }
        return nil
    }

    /// The failure at `x` when some `|g_i(x) − f_i(x)|`, computed here by Float64 forward passes of both networks,
    /// exceeds output `i`'s limit.
    private static func excess(at x: [Double], caseIndex: Int, limits: [Double], _ f: Network, _ g: Network)
        -> (message: String, details: [String: String])?
    {
        let y = f.evaluate(x), z = g.evaluate(x)
        guard let i = limits.indices.first(where: { abs(z[$0] - y[$0]) > limits[$0] }) else { return nil }
        let gap = abs(z[i] - y[i])
        let message = "|g − f| on output \(i) is \(format(gap)) > \(format(limits[i])) at x = \(vector(x)) "
            + "(case \(caseIndex)): original \(format(y[i])), compressed \(format(z[i]))"
        return (message, ["counterexample": vector(x), "original-output": vector(y), "compressed-output": vector(z),
                          "case": String(caseIndex), "bound": format(gap), "limit": format(limits[i]),
                          "output": String(i)])
    }
}
