public import Tensor

/// One problem of a batched objective bound (``BoundPropagator/lowerBounds(of:options:)``): lower bounds of
/// `objective·f(x) + constants` over `box` under `splits`, from `intermediate` bounds valid there.
public struct ObjectiveQuery: Sendable {
    /// `rows × outputCount` matrix `C`.
    public var objective: Matrix
    /// Per-row constants (nil: zeros).
    public var constants: [Double]?
    /// The input region.
    public var box: Box
    /// Bounds of every tensor, valid on `box` under `splits`.
    public var intermediate: IntermediateBounds
    /// The split decisions.
    public var splits: SplitSet
    /// Slopes and multipliers to start alpha-CROWN from (``OptimisedSlopes``).
    public var warmStart: OptimisedSlopes?
    /// Keep the slopes and multipliers that gave each row's bound in the result (``LinearBoundResult/slopes``),
    /// to warm-start sub-problems. Costs a copy of the improved rows per step. Default false.
    public var keepsSlopes: Bool
    /// Stop optimising once this is met (nil: always run every iteration).
    public var stop: StopCriterion?

    /// A query from its parts.
    public init(
        objective: Matrix, constants: [Double]? = nil, box: Box, intermediate: IntermediateBounds,
        splits: SplitSet = SplitSet(), warmStart: OptimisedSlopes? = nil, keepsSlopes: Bool = false,
        stop: StopCriterion? = nil
    ) {
        self.objective = objective
        self.constants = constants
        self.box = box
        self.intermediate = intermediate
        self.splits = splits
        self.warmStart = warmStart
        self.keepsSlopes = keepsSlopes
        self.stop = stop
    }
}
