import Comparison
import LipschitzSDP
import Network
import Tensor
import VNNLib

extension Gate {
    /// The compressed network's certified ℓ₂ Lipschitz bound must be at most `max-ratio` times the original's.
    /// Passes when the certified bounds show it; fails when a pair of inputs shows that the compressed network's
    /// true constant (so any certified bound of it) exceeds the limit (``LipschitzProbe``, sampled over the
    /// boxes of the policy's files, or the network's input range when there are none); undecided otherwise.
    func lipschitzCheck(
        _ specifications: [String: Specification], timeout: Double, _ f: ComparedNetwork, _ g: ComparedNetwork
    ) -> CheckOutcome {
        guard let lipschitz = policy.lipschitz else { return CheckOutcome(status: .skipped, message: "no limit") }
        var options = ComparisonOptions(verification: verification, lipschitzMethod: lipschitz.method, decision: nil)
        options.lipschitz.timeLimit = timeout / 2
        let comparator = Comparator(options: options)
        let original: LipschitzResult
        switch comparator.lipschitzBound(f.network, lipschitz.method) {
        case .success(let r): original = r
        case .failure(let e): return CheckOutcome(status: .error, message: "the original: \(e.reason)")
        }
        let limit = lipschitz.maxRatio * original.bound
        var details = ["original": Self.format(original.bound), "max-ratio": Self.format(lipschitz.maxRatio),
                       "limit": Self.format(lipschitz.maxRatio), "method": lipschitz.method.rawValue]
        let compressed = comparator.lipschitzBound(g.network, lipschitz.method, reference: original)
        if case .success(let r) = compressed {
            let ratio = r.bound / original.bound
            details["compressed"] = Self.format(r.bound)
            details["bound"] = Self.format(ratio)
            details["ratio"] = Self.format(ratio)
            if r.bound <= limit {
                return passed("certified L(g)/L(f) = \(Self.format(r.bound)) / \(Self.format(original.bound)) = "
                    + "\(Self.format(ratio)) ≤ \(Self.format(lipschitz.maxRatio))", details)
            }
        }
        if let witness = LipschitzProbe().lowerBound(of: g.network, over: probeBoxes(specifications, g.network)),
           witness.ratio > limit {
            details["lower-bound"] = Self.format(witness.ratio)
            details["x"] = Self.vector(witness.x)
            details["x-prime"] = Self.vector(witness.xPrime)
            details["bound"] = Self.format(witness.ratio / original.bound)
            return failed("the compressed network's Lipschitz constant is at least \(Self.format(witness.ratio)) "
                + "(inputs x, x′ in the details), over \(Self.format(lipschitz.maxRatio)) × the original's certified "
                + "\(Self.format(original.bound))", details)
        }
        let why: String = switch compressed {
        case .success(let r): "certified L(g) = \(Self.format(r.bound)) exceeds \(Self.format(lipschitz.maxRatio)) × "
            + "L(f) = \(Self.format(limit)), and no input pair shows a larger constant"
        case .failure(let e): "no certified bound for the compressed network: \(e.reason)"
        }
        return undecided(why, details)
    }

    /// The first case box of each property; the clipping box or [−1, 1]ⁿ when the policy lists none.
    private func probeBoxes(_ specifications: [String: Specification], _ network: Network) -> [Box] {
        let boxes = (policy.properties + policy.differenceRegions).compactMap { specifications[$0.path]?.cases.first?.inputBox }
        if !boxes.isEmpty { return boxes }
        let n = network.inputCount
        return [network.inputClamp ?? Box(lower: Array(repeating: -1, count: n), upper: Array(repeating: 1, count: n))]
    }
}
