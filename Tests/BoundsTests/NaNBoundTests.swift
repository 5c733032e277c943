@testable import Bounds
import Network
import Tensor
import Testing

/// NaN bounds mean "unknown": they must never make a ReLU dead, an interval empty, or a bound a refutation
/// ("NaN or ∞ never counts as proof").
struct NaNBoundTests {
    /// Whether the relaxation's upper line lies above relu on [l, u] at the probes (ignoring NaN probes' bounds).
    static func upperLineCovers(_ r: Relaxation, neuron j: Int, probes: [Double]) -> Bool {
        probes.allSatisfy { x in r.upperSlope[j] * x + r.upperIntercept[j] >= Swift.max(x, 0) }
    }

    /// (l, u) = (−1, NaN), (NaN, NaN), (NaN, 2), (0.5, NaN): the first two are not dead and get an upper line above
    /// relu for all large x; (NaN, 2) is bounded by 2; (0.5, NaN) is exactly active.
    @Test func reluRelaxationNeverCallsANaNNeuronDead() {
        let rule = ReLUBoundRule(count: 4)
        let input = Box(lower: [-1, .nan, .nan, 0.5], upper: [.nan, .nan, 2, .nan])
        let r = rule.relaxation(for: input, margins: SoundnessMargins())
        let large: [Double] = [-1, 0, 1, 10, 1e6, 1e300]
        #expect(Self.upperLineCovers(r, neuron: 0, probes: large))
        #expect(Self.upperLineCovers(r, neuron: 1, probes: large))
        #expect(r.upperIntercept[1] == .infinity)
        #expect(Self.upperLineCovers(r, neuron: 2, probes: [-5, 0, 1, 2]))
        #expect(r.lowerSlope[3] == 1 && r.upperSlope[3] == 1 && r.upperIntercept[3] == 0)
        // No NaN anywhere in the relaxation.
        for v in r.lowerSlope + r.lowerIntercept + r.upperSlope + r.upperIntercept { #expect(!v.isNaN) }

        let interval = rule.interval(input, margins: SoundnessMargins())
        #expect(interval.lower == [0, 0, 0, 0.5])
        #expect(interval.upper == [.infinity, .infinity, 2, .infinity])
    }

    /// y = −relu(x) over x ∈ [−1, 1] (minimum −1). With NaN intermediate bounds injected, the certified lower
    /// bound must stay ≤ −1: the old validity check read the NaN tensor as empty and returned +∞ (a refutation).
    @Test func nanIntermediateBoundsNeverRefute() throws {
        let network = try Network(inputShape: [1, 1], layers: [
            .dense(Dense(weights: Matrix(rows: 1, columns: 1, storage: [1]), bias: [0])), .relu,
            .dense(Dense(weights: Matrix(rows: 1, columns: 1, storage: [-1]), bias: [0])),
        ])
        let propagator = try BoundPropagator(network: network)
        let box = Box(lower: [-1], upper: [1])
        let objective = Matrix(rows: 1, columns: 1, storage: [1])
        let exact = propagator.intermediateBounds(over: box, method: .crown)
        #expect(!exact.isInfeasible)

        var upperNaN = exact
        upperNaN.tensors[1] = Box(lower: [-1], upper: [.nan])
        #expect(upperNaN.unstableCount(layer: 1) == 1)  // not proven stable
        let oneSided = propagator.lowerBounds(of: objective, over: box, intermediate: upperNaN).lower[0]
        #expect(oneSided <= -1 && !oneSided.isNaN)

        var allNaN = exact
        for k in 1..<allNaN.tensors.count { allNaN.tensors[k] = Box(lower: [.nan], upper: [.nan]) }
        #expect(propagator.lowerBounds(of: objective, over: box, intermediate: allNaN).lower[0] == -.infinity)

        // A NaN input box is the whole line: nothing is infeasible, and nothing is bounded.
        let nanBox = Box(lower: [.nan], upper: [.nan])
        let unknown = propagator.intermediateBounds(over: nanBox, method: .crown)
        #expect(!unknown.isInfeasible)
        #expect(propagator.lowerBounds(of: objective, over: nanBox, intermediate: unknown).lower[0] == -.infinity)
    }
}
