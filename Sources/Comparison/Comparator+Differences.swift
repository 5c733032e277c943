import Bounds
import Differential
import Network
import Tensor

extension Comparator {
    /// Bounds on `|g − f|` over `box`, refined by input splitting within ``ComparisonOptions/difference``
    /// (difference propagation when the networks share a layer structure or one is a structured pruning of the
    /// other, CROWN on the product network otherwise), the unsplit product network's CROWN bound beside it, and
    /// the attack for the lower end. A bound that cannot be computed is +∞, never a guess.
    func difference(_ f: Network, _ g: Network, over box: Box, caseIndex: Int) -> CaseDifference {
        let product = productBound(f, g, over: box)
        var budget = options.difference
        budget.attack = budget.attack ?? DifferenceAttack()
        guard let refined = try? DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget),
              let attack = refined.attack
        else {
            let attack = (budget.attack ?? DifferenceAttack()).run(original: f, compressed: g, over: box)
            let certified = product ?? Array(repeating: .infinity, count: f.outputCount)
            return CaseDifference(caseIndex: caseIndex, certified: certified, method: .productNetwork,
                                  productNetwork: product, attacked: attack.values, attackedInputs: attack.inputs)
        }
        let propagated = refined.bounds.maxAbsolute
        let certified = zip(propagated, product ?? propagated).map { min($0, $1) }
        let method: CaseDifference.Method = refined.method == .productNetwork ? .productNetwork : .differencePropagation
        return CaseDifference(caseIndex: caseIndex, certified: certified, method: method,
                              productNetwork: product, attacked: attack.values, attackedInputs: attack.inputs)
    }

    /// `max(|l|, |u|)` of the CROWN bounds of `x ↦ g(x) − f(x)` over `box`; nil when the product network cannot
    /// be built or bounded.
    private func productBound(_ f: Network, _ g: Network, over box: Box) -> [Double]? {
        guard let network = try? Network.difference(original: f, compressed: g),
              let bounds = try? BoundPropagator(network: network).intermediateBounds(over: box)
        else { return nil }
        return zip(bounds.output.lower, bounds.output.upper).map { max(abs($0), abs($1)) }
    }
}
