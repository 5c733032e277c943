import Bounds
import Network
import Tensor
import Testing
@testable import Verifier

/// LP tightening of intermediate bounds: never loses a reachable pre-activation, and tightens CROWN's bounds.
struct LPTighteningTests {
    @Test(arguments: [UInt64(11), 12, 13])
    func tightenedBoundsContainSamplesAndAreTighter(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let network = try DifferentialTests.mlp([4, 12, 12, 12, 2], &rng)
        let box = Box(lower: [-1, -1, -1, -1], upper: [1, 1, 1, 1])
        let propagator = try BoundPropagator(network: network)
        let bounds = propagator.intermediateBounds(over: box, method: .crown)
        let lp = try LPRelaxation(network: network, timeLimit: 10)
        var shrunk = 0.0, total = 0.0
        for layer in [3, 5] {  // the ReLUs after the first
            let pre = try #require(bounds.preActivation[layer])
            let unstable = (0..<pre.dimension).filter { pre.lower[$0] < 0 && pre.upper[$0] > 0 }
            let tightened = try #require(lp.tightenedPreActivations(
                layer: layer, neurons: unstable, box: box, bounds: bounds, splits: SplitSet(),
                deadline: .now + .seconds(10)))
            for k in 0..<pre.dimension {
                #expect(tightened.lower[k] >= pre.lower[k] && tightened.upper[k] <= pre.upper[k])
                total += pre.upper[k] - pre.lower[k]
                shrunk += (pre.upper[k] - pre.lower[k]) - (tightened.upper[k] - tightened.lower[k])
            }
            for _ in 0..<2000 {
                let x = (0..<4).map { _ in Double.random(in: -1...1, using: &rng) }
                let z = network.trace(x)[layer]
                for k in 0..<z.count {
                    #expect(z[k] >= tightened.lower[k] - 1e-9 && z[k] <= tightened.upper[k] + 1e-9)
                }
            }
        }
        #expect(shrunk > 0.01 * total, "LP tightening shrank the widths by \(shrunk) of \(total)")
    }
}
