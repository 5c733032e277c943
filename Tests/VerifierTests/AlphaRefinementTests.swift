import Testing
@testable import Verifier

/// Box halves skip alpha-CROWN's refinement when CROWN's margin is out of reach of what it gained on their nearest
/// refined ancestor (``NodeProcessor/alphaReach``): the search still proves what it proved, with fewer refinements.
struct AlphaRefinementTests {
    @Test(arguments: ["acasxu/prop_1.vnnlib", "acasxu/prop_4.vnnlib"])
    func knownProofsStandWithRefinementsSkipped(property: String) throws {
        let problem = try ProofReuseTests.problem("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", property)
        let result = try ProofReuseTests.verifier(.inputSplit).verify(problem)
        #expect(result.verdict == .proven)
        #expect(result.statistics.skippedRefinements > 0)
    }

    @Test func theReachIsAFractionOfTheAncestorsGain() {
        #expect(NodeProcessor.alphaReach > 0 && NodeProcessor.alphaReach <= 1)
    }
}
