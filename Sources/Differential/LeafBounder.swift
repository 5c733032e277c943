import Bounds
import Network
import Tensor

/// How each leaf of the refinement is bounded: difference propagation for networks of one layer structure, or
/// CROWN on the product network `x ↦ g(x) − f(x)` for any other pair the product construction accepts.
enum LeafBounder {
    /// ``DifferenceBounds/leaf(original:compressed:over:margins:symbolic:)`` on two aligned networks.
    case propagation(original: Network, compressed: Network)
    /// CROWN bounds of the difference network (`Network.difference(original:compressed:)`).
    case product(difference: Network)

    /// The bounder for `f` and `g`: propagation when they align, else the product network; the alignment's error
    /// when neither applies.
    static func make(original f: Network, compressed g: Network, box: Box) throws(DifferentialError) -> LeafBounder {
        do {
            let (f, g) = try StructureAlignment.aligned(original: f, compressed: g)
            try StructureCheck.validate(f, g, box: box)
            return .propagation(original: f, compressed: g)
        } catch {
            switch error {
            case .structureMismatch, .unsupportedLayer:
                guard let difference = try? Network.difference(original: f, compressed: g) else { throw error }
                return .product(difference: difference)
            default: throw error
            }
        }
    }

    /// Which analysis this is.
    var method: DifferenceRefinement.Method {
        switch self {
        case .propagation: .differencePropagation
        case .product: .productNetwork
        }
    }

    /// Certified bounds of `g − f` over `box` with per-input split scores (all 0 for the product: the refinement
    /// then bisects the widest coordinate).
    func bound(_ box: Box, margins: SoundnessMargins) throws(DifferentialError)
        -> (bounds: DifferenceBounds, smear: [Double])
    {
        switch self {
        case let .propagation(f, g):
            return try DifferenceBounds.leaf(original: f, compressed: g, over: box, margins: margins)
        case let .product(network):
            let output: Box
            do {
                let clipped = network.inputClamp.map { $0.clamped(box) } ?? box
                output = try BoundPropagator(network: network, margins: margins).intermediateBounds(over: clipped).output
            } catch {
                throw .bounds(network: "product", error)
            }
            let bounds = DifferenceBounds(
                lower: output.lower, upper: output.upper, naiveLower: output.lower, naiveUpper: output.upper)
            return (bounds, [Double](repeating: 0, count: box.dimension))
        }
    }
}
