/// A set of ``ReLUSplit``s with per-layer lookup.
///
/// A value type: ``adding(_:)`` returns a new set, so branch-and-bound nodes can share their parent's set.
/// At most one decision is kept per neuron; adding the opposite decision for a neuron replaces the earlier one
/// (a branch-and-bound search never does this; replacing only drops a constraint, which keeps bounds sound).
public struct SplitSet: Hashable, Sendable {
    /// layer index → (neuron → isActive).
    private var byLayer: [Int: [Int: Bool]]

    /// The empty set.
    public init() { byLayer = [:] }

    /// The set holding `splits` (later entries win for a repeated neuron).
    public init(_ splits: [ReLUSplit]) {
        byLayer = [:]
        for s in splits { byLayer[s.layer, default: [:]][s.neuron] = s.isActive }
    }

    /// This set plus `split`. O(size of the split's layer).
    public func adding(_ split: ReLUSplit) -> SplitSet {
        var copy = self
        copy.byLayer[split.layer, default: [:]][split.neuron] = split.isActive
        return copy
    }

    /// The decision on `neuron` of ReLU layer `layer`: `true` active, `false` inactive, `nil` not split. O(1).
    public func state(layer: Int, neuron: Int) -> Bool? { byLayer[layer]?[neuron] }

    /// The decisions of one layer, neuron → isActive.
    public func decisions(inLayer layer: Int) -> [Int: Bool] { byLayer[layer] ?? [:] }

    /// Layer indices that hold at least one decision, ascending.
    public var layers: [Int] { byLayer.keys.filter { !(byLayer[$0]?.isEmpty ?? true) }.sorted() }

    /// Every split, ordered by layer then neuron.
    public var splits: [ReLUSplit] {
        layers.flatMap { layer in
            byLayer[layer, default: [:]].keys.sorted().map {
                ReLUSplit(layer: layer, neuron: $0, isActive: byLayer[layer]![$0]!)
            }
        }
    }

    /// Number of split neurons.
    public var count: Int { byLayer.values.reduce(0) { $0 + $1.count } }

    /// True when nothing is split.
    public var isEmpty: Bool { count == 0 }
}
