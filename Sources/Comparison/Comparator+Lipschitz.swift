public import LipschitzSDP
public import Network

extension Comparator {
    /// The certified Lipschitz bound of `network` by `method` with ``ComparisonOptions/lipschitz``, or why there is
    /// none.
    public func lipschitzBound(_ network: Network, _ method: LipschitzMethod) -> Result<LipschitzResult, LipschitzFailure> {
        do {
            return .success(try LipschitzAnalyzer(network: network).bound(method: method, options: options.lipschitz))
        } catch {
            return .failure(LipschitzFailure(reason: String(describing: error)))
        }
    }
}
