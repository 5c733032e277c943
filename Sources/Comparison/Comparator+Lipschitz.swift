import LipschitzSDP
import Network

extension Comparator {
    /// The certified bound of `network`, or why there is none.
    func lipschitzBound(_ network: Network, _ method: LipschitzMethod) -> Result<LipschitzResult, LipschitzFailure> {
        do {
            return .success(try LipschitzAnalyzer(network: network).bound(method: method, options: options.lipschitz))
        } catch {
            return .failure(LipschitzFailure(reason: String(describing: error)))
        }
    }
}
