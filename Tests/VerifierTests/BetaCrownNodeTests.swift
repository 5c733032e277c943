import Bounds
import Branching
import Network
import Tensor
import TestSupport
import Testing
import VNNLib
@testable import Verifier

/// beta-CROWN on branch-and-bound nodes with random split sets, against the two references of such a node: the
/// exact MILP of its region (the bound must never exceed it) and its LP — the triangle relaxation with the same
/// intermediate bounds and the split rows — whose optimum beta-CROWN's optimised α, β attain (Wang et al. 2021,
/// the bound is the LP's dual), so it must not exceed the LP either and, optimised long enough, reaches it.
@Suite struct BetaCrownNodeTests {
    /// One random node: a ReLU MLP, a box, 2–4 random splits (random neurons among the unstable ones, random
    /// signs) whose bounds are feasible, and a random objective row.
    struct Node {
        let network: Network
        let box: Box
        let splits: SplitSet
        let bounds: IntermediateBounds
        let objective: Matrix
    }

    static func node(seed: UInt64) throws -> Node? {
        var rng = SplitMix64(seed: seed)
        let widths = [3, Int.random(in: 6...10, using: &rng), Int.random(in: 6...10, using: &rng), 2]
        let network = try RandomNetworks.mlp(widths, weight: { rng.nextGaussian() / Double($0).squareRoot() },
                                             bias: { 0.2 * rng.nextGaussian() })
        let centre = (0..<3).map { _ in rng.nextGaussian() * 0.3 }
        let box = Box(lower: centre.map { $0 - 1 }, upper: centre.map { $0 + 1 })
        let propagator = try BoundPropagator(network: network)
        let root = propagator.intermediateBounds(over: box)
        let unstable = NodeEvaluation.unstableNeurons(in: network, bounds: root, splits: SplitSet())
        guard unstable.count >= 4 else { return nil }
        for _ in 0..<20 {
            let picked = unstable.shuffled(using: &rng).prefix(Int.random(in: 2...4, using: &rng))
            let splits = SplitSet(picked.map { ReLUSplit(layer: $0.layer, neuron: $0.neuron, isActive: Bool.random(using: &rng)) })
            let bounds = propagator.intermediateBounds(over: box, splits: splits)
            guard !bounds.isInfeasible else { continue }
            let objective = Matrix(rows: 1, columns: 2, storage: [rng.nextGaussian(), rng.nextGaussian()])
            return Node(network: network, box: box, splits: splits, bounds: bounds, objective: objective)
        }
        return nil
    }

    @Test func betaCrownIsSoundAndReachesTheLPOnRandomSplitNodes() throws {
        var nodes = 0, closed = 0.0, open = 0.0
        for seed in UInt64(0)..<UInt64(40) {
            guard let node = try Self.node(seed: seed) else { continue }
            let region = OutputPolytope(coefficients: node.objective, bounds: [0])
            guard let exact = try ExactMILP.minimumMargin(network: node.network, box: node.box, region: region,
                                                          splits: node.splits)
            else { continue }  // an empty split region (every bound is sound there), or no MILP optimum
            let lp = try LPRelaxation(network: node.network, timeLimit: 10)
            let lpValue: Double
            switch lp.minimiseMargin(region: region, box: node.box, bounds: node.bounds, splits: node.splits,
                                     timeLimit: 10) {
            case let .reachable(_, evidence): lpValue = evidence.margin
            case let .refuted(bound) where bound.isFinite: lpValue = bound
            default: continue
            }
            let propagator = try BoundPropagator(network: node.network)
            func bound(_ options: BoundOptions) -> Double {
                propagator.lowerBounds(of: node.objective, over: node.box, intermediate: node.bounds,
                                       splits: node.splits, options: options).lower[0]
            }
            let crown = bound(BoundOptions(method: .crown))
            let beta = bound(BoundOptions(alphaIterations: 400, alphaLearningRateDecay: 0.995))
            let tolerance = 1e-6 * (1 + abs(lpValue))
            #expect(lpValue <= exact + tolerance, "seed \(seed): LP \(lpValue) above the MILP's \(exact)")
            #expect(beta <= exact + tolerance, "seed \(seed): beta-CROWN \(beta) above the MILP's \(exact)")
            #expect(beta <= lpValue + tolerance, "seed \(seed): beta-CROWN \(beta) above the LP's \(lpValue)")
            #expect(crown <= beta + tolerance, "seed \(seed): beta-CROWN \(beta) below CROWN's \(crown)")
            // Per node too, with room (35 nodes, 2–4 splits: 89% on the worst, the rest above 99%).
            #expect(beta - crown >= 0.75 * (lpValue - crown) - tolerance, "seed \(seed): CROWN \(crown), beta \(beta), LP \(lpValue)")
            nodes += 1
            closed += max(0, beta - crown)
            open += max(0, lpValue - crown)
        }
        #expect(nodes >= 20, "only \(nodes) nodes")
        // Optimised long enough, beta-CROWN closes nearly all of CROWN's distance to the LP over these nodes (98.9%).
        #expect(closed >= 0.95 * open, "closed \(closed) of \(open)")
    }
}
