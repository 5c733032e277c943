public import LipschitzSDP
public import Network

extension Comparator {
    /// The certified Lipschitz bound of `network` by `method` with ``ComparisonOptions/lipschitz``, or why there is
    /// none; with `reference` (the original's bound, for its compressed copy) the network is also bounded in the
    /// reference's coordinates (``LipschitzOptions/neuronScales``), so the two bounds compare like with like.
    public func lipschitzBound(
        _ network: Network, _ method: LipschitzMethod, reference: LipschitzResult? = nil
    ) -> Result<LipschitzResult, LipschitzFailure> {
        var lipschitz = options.lipschitz
        lipschitz.neuronScales = reference?.neuronScales
        do {
            return .success(try LipschitzAnalyzer(network: network).bound(method: method, options: lipschitz))
        } catch {
            return .failure(LipschitzFailure(reason: String(describing: error)))
        }
    }
}
