import Bounds
@testable import Branching
import Network
import Tensor
import TestSupport

/// `y = relu(x₁ + x₂ + 0.5) + relu(x₁ − x₂)` over `[−1, 1]²`: pre-activations `[−1.5, 2.5]` and `[−2, 2]`.
func handNetwork() throws -> Network {
    try Network(inputShape: [1, 2], layers: [
        .dense(Dense(weights: Matrix([[1, 1], [1, -1]]), bias: [0.5, 0])), .relu,
        .dense(Dense(weights: Matrix([[1, 1]]), bias: [0])),
    ])
}

let unitBox = Box(lower: [-1, -1], upper: [1, 1])

/// The context of a node: CROWN intermediate bounds and a CROWN objective bound.
func context(_ network: Network, box: Box, objective: Matrix, splits: SplitSet = SplitSet()) throws
    -> BranchingContext
{
    let propagator = try BoundPropagator(network: network)
    let bounds = propagator.intermediateBounds(over: box, splits: splits)
    let bound = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, splits: splits,
                                       options: BoundOptions(method: .crown))
    return makeContext(propagator, box: box, bounds: bounds, splits: splits, objective: objective, bound: bound)
}

/// A context whose open row is the one with the smallest lower bound, thresholds 0.
func makeContext(_ propagator: BoundPropagator, box: Box, bounds: IntermediateBounds, splits: SplitSet,
                         objective: Matrix, bound: LinearBoundResult) -> BranchingContext {
    let worst = bound.lower.indices.min { bound.lower[$0] < bound.lower[$1] }!
    let thresholds = [Double](repeating: 0, count: objective.rows)
    let evaluation = NodeEvaluation(
        intermediate: bounds, objective: objective, thresholds: thresholds, regions: [0],
        regionRows: [Array(0..<objective.rows)], ownRowCounts: [objective.rows], linearBound: bound,
        lower: bound.lower, method: .crown,
        unstable: NodeEvaluation.unstableNeurons(in: propagator.network, bounds: bounds, splits: splits))
    return BranchingContext(
        network: propagator.network, box: box, splits: splits, evaluation: evaluation, objectiveRows: [worst],
        children: ChildBounder(propagator: propagator, box: box, intermediate: bounds, splits: splits,
                               rows: objective.selectingRows([worst]), thresholds: [0]))
}

/// A seeded random ReLU MLP.
func randomMLP(_ widths: [Int], seed: UInt64) throws -> Network {
    var rng = SplitMix64(seed: seed)
    return try RandomNetworks.mlp(
        widths,
        weight: { let scale = (3.0 / Double($0)).squareRoot(); return Double.random(in: -scale...scale, using: &rng) },
        bias: { Double.random(in: -0.3...0.3, using: &rng) })
}
