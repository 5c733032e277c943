import Network
import Tensor

/// A faster reference evaluation for the sampling tests: convolutions as their dense equivalents (BLAS) and pooling
/// windows precomputed. Mathematically the same map as `Network.trace` (NetworkTests check `denseEquivalent`).
struct ReferenceTracer {
    private let layers: [Layer]
    private let windows: [Int: [[Int]]]

    init(_ network: Network) {
        var windows: [Int: [[Int]]] = [:]
        layers = network.layers.enumerated().map { i, layer in
            switch layer {
            case let .conv2d(c): return .dense(c.denseEquivalent())
            case let .maxPool(p), let .averagePool(p):
                windows[i] = (0..<p.outputCount).map { p.window(of: $0).indices }
                return layer
            default: return layer
            }
        }
        self.windows = windows
    }

    /// Element 0 is `x`, element `i + 1` the output of layer `i`.
    func trace(_ x: [Double]) -> [[Double]] {
        var values = [x]
        for (i, layer) in layers.enumerated() {
            let v = values[i]
            switch layer {
            case .maxPool:
                values.append(windows[i]!.map { w in w.reduce(-Double.infinity) { max($0, v[$1]) } })
            case let .averagePool(p):
                let full = Double(p.kernelHeight * p.kernelWidth)
                values.append(windows[i]!.map { w in
                    w.reduce(0) { $0 + v[$1] } / (p.countIncludePad ? full : Double(w.count))
                })
            default:
                values.append(layer.apply(v))
            }
        }
        return values
    }
}
