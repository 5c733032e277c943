import Bounds
import Network
import Tensor

/// How each leaf of the refinement is bounded: difference propagation for networks of one layer structure, or
/// CROWN on the product network `x ↦ g(x) − f(x)` for any other pair the product construction accepts.
enum LeafBounder: Sendable {
    /// ``DifferenceBounds/leaf(original:compressed:over:margins:symbolic:)`` on two aligned networks.
    case propagation(original: Network, compressed: Network)
    /// CROWN bounds of the difference network (`Network.difference(original:compressed:)`).
    case product(difference: Network)
    /// Classifiers ending in a softmax: `inner` bounds their pairwise logit differences, the head maps them to
    /// the softmax outputs' difference leaf by leaf.
    indirect case softmax(SoftmaxHead, inner: LeafBounder)

    /// The bounder for `f` and `g`: through their logits when both end in a softmax over all outputs, else
    /// propagation when they align, else the product network; the alignment's error when none applies.
    static func make(original f: Network, compressed g: Network, box: Box) throws(DifferentialError) -> LeafBounder {
        if let head = SoftmaxHead(original: f, compressed: g) {
            return .softmax(head, inner: try make(original: head.pairsOriginal, compressed: head.pairsCompressed, box: box))
        }
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
        case let .softmax(_, inner): inner.method
        }
    }

    /// The analysis of one leaf: `box` under `splits` (ignored by the product network, which is never split on
    /// ReLUs: it offers no ``LeafAnalysis/candidate``), reusing the analysis of a `parent` leaf containing it
    /// and, for a ReLU split of it, the `split` decision's layer and networks. The product network's smears are
    /// all 0, so the refinement bisects the widest coordinate.
    func bound(
        _ box: Box, splits: DifferenceSplits = DifferenceSplits(), margins: SoundnessMargins,
        parent: LeafAnalysis? = nil, split: (layer: Int, sides: [DifferenceSplits.Side])? = nil,
        given: (f: IntermediateBounds, g: IntermediateBounds)? = nil
    ) throws(DifferentialError) -> LeafAnalysis {
        switch self {
        case let .propagation(f, g):
            return try DifferenceBounds.analyse(
                original: f, compressed: g, over: box, splits: splits, margins: margins, parent: parent, split: split,
                given: given)
        case let .softmax(head, inner):
            var analysis = try inner.bound(box, splits: splits, margins: margins, parent: parent, split: split, given: given)
            guard !analysis.isInfeasible else { return analysis }
            let pairs = try head.pairBounds(analysis, box: box, margins: margins)
            analysis.bounds = head.outputBounds(delta: analysis.bounds, pairsF: pairs.f, pairsG: pairs.g)
            return analysis
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
            return LeafAnalysis(
                bounds: bounds, smear: [Double](repeating: 0, count: box.dimension), candidate: nil, networks: nil,
                deltas: [], isInfeasible: false)
        }
    }
}
