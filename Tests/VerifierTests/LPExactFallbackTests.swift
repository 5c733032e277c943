import Bounds
import LinearProgramming
import Network
import Tensor
import Testing
import VNNLib
@testable import Verifier

/// The leaf fallback of `LPRelaxation.minimiseMargin(…, exactFallback:)` to GLPK's exact simplex, whose duals
/// are certified by the same weak-duality check.
struct LPExactFallbackTests {
    @Test func exactDualsRefuteALeafTheFloatingPointPathLeavesOpen() throws {
        let (lp, box, bounds, region) = try LPLeafFixture.leaf()
        let floating = lp.minimiseMargin(region: region, box: box, bounds: bounds, splits: SplitSet(), timeLimit: 10)
        if case .refuted = floating { Issue.record("the floating-point path was expected not to refute: \(floating)") }
        let exact = lp.minimiseMargin(region: region, box: box, bounds: bounds, splits: SplitSet(), timeLimit: 10,
                                      exactFallback: true)
        guard case .refuted = exact else { Issue.record("expected a certified refutation, got \(exact)"); return }
        #expect(lp.exactSolves >= 1)
    }

    /// With a feasible leaf (pre-activation bounds [−1, 0], y ≤ 0 reached at x = 0) the fallback never refutes.
    @Test func exactFallbackNeverRefutesAReachableLeaf() throws {
        var (lp, box, bounds, region) = try LPLeafFixture.leaf()
        bounds.tensors[1] = Box(lower: [-1], upper: [0])
        let answer = lp.minimiseMargin(region: region, box: box, bounds: bounds, splits: SplitSet(), timeLimit: 10,
                                       exactFallback: true)
        guard case .reachable = answer else { Issue.record("expected reachable, got \(answer)"); return }
        _ = lp
    }
}
