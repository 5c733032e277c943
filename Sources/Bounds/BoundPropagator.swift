public import Network
import Tensor

/// Sound bounds of a network's tensors and of linear functions of its output over an input box, under ReLU split
/// constraints: interval arithmetic, CROWN/DeepPoly back-substitution and alpha-CROWN.
///
/// Every reported bound is computed in Float64 and widened outward by ``margins``; NaN or infinite intermediate
/// values turn a lower bound into −∞ (and an upper bound into +∞), never into a wrong finite number.
///
/// References: Zhang et al. 2018 (CROWN), Singh et al. 2019 (DeepPoly), Xu et al. 2021 (alpha-CROWN).
public struct BoundPropagator: Sendable {
    /// One layer's bound rules.
    enum Rule: Sendable {
        case affine(any AffineBoundRule)
        case nonlinear(any NonlinearBoundRule)
    }

    /// The network being bounded.
    public let network: Network
    /// The outward widening applied to every bound.
    public var margins: SoundnessMargins
    /// Rules, one per layer.
    let rules: [Rule]
    /// Indices of the ReLU layers (the only layers that can be split), ascending.
    public let reluLayers: [Int]
    /// Indices of all nonlinear layers (ReLU, sigmoid, tanh, softmax, max pool), ascending.
    public let nonlinearLayers: [Int]

    /// Prepares the bound rules of every layer.
    ///
    /// - Parameters:
    ///   - network: The network.
    ///   - margins: Floating-point widening (default: relative `1e-9`, absolute `1e-12`).
    /// - Throws: ``BoundsError/unsupportedLayer(layer:kind:reason:)`` for a layer it cannot bound soundly (a max
    ///   pool window that covers only padding).
    public init(network: Network, margins: SoundnessMargins = SoundnessMargins()) throws(BoundsError) {
        self.network = network
        self.margins = margins
        var rules: [Rule] = []
        for (index, layer) in network.layers.enumerated() {
            let count = network.inputShape(ofLayer: index).reduce(1, *)
            switch layer {
            case let .dense(d): rules.append(.affine(DenseBoundRule(d)))
            case let .conv2d(c): rules.append(.affine(ConvBoundRule(c)))
            case let .convTranspose(t): rules.append(.affine(ConvTransposeBoundRule(t)))
            case let .elementwise(e): rules.append(.affine(ElementwiseBoundRule(e)))
            case let .averagePool(p): rules.append(.affine(AveragePoolBoundRule(p)))
            case .reshape: rules.append(.affine(ReshapeBoundRule(count: count)))
            case .relu: rules.append(.nonlinear(ReLUBoundRule(count: count)))
            case .sigmoid: rules.append(.nonlinear(SmoothActivationBoundRule(kind: .sigmoid, count: count)))
            case .tanh: rules.append(.nonlinear(SmoothActivationBoundRule(kind: .tanh, count: count)))
            case let .softmax(s): rules.append(.nonlinear(SoftmaxBoundRule(softmax: s, count: count)))
            case let .maxPool(p): rules.append(.nonlinear(try MaxPoolBoundRule(p, layer: index)))
            }
        }
        self.rules = rules
        reluLayers = network.layers.indices.filter { network.layers[$0] == .relu }
        nonlinearLayers = network.layers.indices.filter { !network.layers[$0].isAffine }
    }

    /// Interval bounds of the output of layer `index` from bounds of its input.
    /// NaN bounds are replaced by the infinite bound on their side.
    public func interval(layer index: Int, _ input: Box) -> Box {
        let out = switch rules[index] {
        case let .affine(rule): rule.interval(input, margins: margins)
        case let .nonlinear(rule): rule.interval(input, margins: margins)
        }
        return Self.sanitized(out)
    }

    /// `box` with NaN lower bounds replaced by −∞ and NaN upper bounds by +∞.
    static func sanitized(_ box: Box) -> Box {
        Box(lower: box.lower.map { $0.isNaN ? -.infinity : $0 }, upper: box.upper.map { $0.isNaN ? .infinity : $0 })
    }
}
