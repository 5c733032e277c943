public import LipschitzSDP
public import Network

extension Comparator {
    /// Certified Lipschitz bounds of both networks; a network the method cannot bound gets its reason instead.
    func compareLipschitz(
        _ f: Network, _ g: Network, method: LipschitzMethod, report: (String, String?) -> Void
    ) -> LipschitzComparison {
        report("Lipschitz bound of the original", nil)
        let a = lipschitzBound(f, method)
        report("Lipschitz bound of the compressed network", nil)
        let b = lipschitzBound(g, method)
        return LipschitzComparison(original: a, compressed: b)
    }

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
