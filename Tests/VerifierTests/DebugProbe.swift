import Bounds
import Foundation
import ONNX
import Tensor
import Testing
import VNNLib
import Verifier

@Test func debugProbe() throws {
    guard ProcessInfo.processInfo.environment["NNCERT_PROBE"] != nil else { return }
    let p = RegressionTests.properties
    let net = try NetworkLoader.load(path: p.appendingPathComponent("acasxu/ACASXU_run2a_1_1_batch_2000.onnx").path)
    let spec = try Specification(contentsOfFile: p.appendingPathComponent("acasxu/prop_1.vnnlib").path)
    let prop = try BoundPropagator(network: net)
    var box = spec.cases[0].inputBox
    for depth in 0..<4 {
        let ib = prop.intermediateBounds(over: box, splits: SplitSet(), method: .crown, reusing: nil, fromLayer: nil)
        for m in [BoundMethod.crown, .alphaCrown] {
            var o = BoundOptions()
            o.method = m
            let r = prop.lowerBounds(of: spec.cases[0].disjuncts[0].coefficients, over: box, intermediate: ib, options: o)
            print(depth, m, r.lower, r.inputCoefficients.storage.map { ($0 * 1000).rounded() / 1000 })
        }
        box = box.bisected(along: depth % 5).0
    }
}
