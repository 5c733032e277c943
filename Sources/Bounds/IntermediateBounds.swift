public import Tensor

/// Bounds of every tensor flowing through a network over an input region under a ``SplitSet``.
///
/// The bounds of the tensor entering each nonlinear layer (ReLU, sigmoid, tanh, max pool) are the
/// "pre-activation" bounds used by the linear relaxations, the LP encoding and branching heuristics.
public struct IntermediateBounds: Sendable {
    /// `tensors[i]` bounds the input of layer `i`; `tensors[layers.count]` bounds the output. Split clamps are
    /// already applied.
    public var tensors: [Box]
    /// Indices of the nonlinear layers, ascending.
    public let nonlinearLayers: [Int]
    /// True when the splits are contradictory over the region (a clamped interval is empty): no input satisfies
    /// them, so the branch-and-bound node is vacuously proven. The other fields are then meaningless.
    public var isInfeasible: Bool
    /// The method that produced the bounds.
    public var method: BoundMethod

    /// A bounds record from its parts.
    public init(tensors: [Box], nonlinearLayers: [Int], isInfeasible: Bool, method: BoundMethod) {
        self.tensors = tensors
        self.nonlinearLayers = nonlinearLayers
        self.isInfeasible = isInfeasible
        self.method = method
    }

    /// Bounds of the tensor entering each nonlinear layer, keyed by layer index. Setting an entry (e.g. to
    /// LP-tightened bounds) replaces that tensor's bounds; tightened bounds must still be sound.
    public var preActivation: [Int: Box] {
        get { Dictionary(uniqueKeysWithValues: nonlinearLayers.map { ($0, tensors[$0]) }) }
        set { for (k, box) in newValue where k < tensors.count { tensors[k] = box } }
    }

    /// The output box.
    public var output: Box {
        get { tensors[tensors.count - 1] }
        set { tensors[tensors.count - 1] = newValue }
    }

    /// Number of ReLU neurons in layer `layer` that are not proven stable (neither lower ≥ 0 nor upper ≤ 0; a
    /// NaN bound proves nothing).
    public func unstableCount(layer: Int) -> Int {
        (0..<tensors[layer].dimension).reduce(0) { $0 + (isUnstable(layer: layer, neuron: $1) ? 1 : 0) }
    }

    /// True when the interval entering `neuron` of layer `layer` is not known to exclude zero on either side: the
    /// neuron is not proven stable (a NaN bound proves nothing). The one definition of "unstable".
    public func isUnstable(layer: Int, neuron: Int) -> Bool {
        let b = tensors[layer]
        return !(b.lower[neuron] >= 0) && !(b.upper[neuron] <= 0)
    }
}
