import Differential
public import Network
public import Tensor

extension Comparator {
    /// Bounds on `|g − f|` over `box`, refined by input splitting within ``ComparisonOptions/difference``
    /// (difference propagation when the networks share a layer structure or one is a structured pruning of the
    /// other, CROWN on the product network otherwise) and, when that stops short of the target ratio, proved at
    /// it by branch and bound (``DifferenceCertifier``); the unsplit product network's CROWN bound beside it, and
    /// the attack for the lower end. A bound that cannot be computed is +∞, never a guess.
    public func difference(_ f: Network, _ g: Network, over box: Box, caseIndex: Int) -> CaseDifference {
        let attacker = options.difference.attack ?? DifferenceAttack()
        var budget = options.difference
        budget.attack = attacker
        let refined = try? DifferenceCertifier(budget: budget).compute(original: f, compressed: g, over: box)
        let product = (refined?.productNetwork ?? (try? DifferenceBounds.productNetwork(original: f, compressed: g, over: box)))?
            .maxAbsolute
        guard let refined, let attack = refined.attack else {
            let attack = attacker.run(original: f, compressed: g, over: box)
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
}
