import Bounds
import Foundation
import Network
import Tensor
import Testing

/// Timing of CROWN intermediate bounds + alpha-CROWN on an MNIST-FC 256x2-shaped random network (784-256-256-10)
/// with 9 margin objectives over an L∞ ball of radius 0.02. Run with `NNCERT_BENCH=1 swift test -c release
/// --filter BoundsTests.mnistShapedTiming`.
@Test(.enabled(if: ProcessInfo.processInfo.environment["NNCERT_BENCH"] != nil))
func mnistShapedTiming() throws {
    let network = TestNetworks.mlp([784, 256, 256, 10], seed: 256)
    let propagator = try BoundPropagator(network: network)
    var rng = SplitMix64(seed: 1)
    let center = (0..<784).map { _ in Double.random(in: 0...1, using: &rng) }
    let box = Box(lower: center.map { max(0, $0 - 0.02) }, upper: center.map { min(1, $0 + 0.02) })
    var objective = Matrix(rows: 9, columns: 10)
    for r in 0..<9 { objective[r, 0] = 1; objective[r, r + 1] = -1 }
    for _ in 0..<(ProcessInfo.processInfo.environment["NNCERT_BENCH_REPEAT"].flatMap(Int.init) ?? 2) {
        let t0 = Date()
        let bounds = propagator.intermediateBounds(over: box)
        let t1 = Date()
        let crown = propagator.lowerBounds(of: objective, over: box, intermediate: bounds, options: BoundOptions(method: .crown))
        let t2 = Date()
        let alpha = propagator.lowerBounds(of: objective, over: box, intermediate: bounds)
        let t3 = Date()
        let unstable = propagator.reluLayers.map { bounds.unstableCount(layer: $0) }
        print("mnist 256x2: intermediate CROWN \(t1.timeIntervalSince(t0) * 1000) ms, objective CROWN "
              + "\(t2.timeIntervalSince(t1) * 1000) ms, alpha-CROWN (20 it) \(t3.timeIntervalSince(t2) * 1000) ms; "
              + "unstable \(unstable); crown sum \(crown.lower.reduce(0, +)), alpha sum \(alpha.lower.reduce(0, +))")
        #expect(zip(alpha.lower, crown.lower).allSatisfy { $0 >= $1 })
    }
}
