import Foundation
import Testing
import Network
import Tensor
import TestSupport

/// Seeded networks, fixtures and a sampled lower bound on the Lipschitz constant for the tests.
enum TestNetworks {
    /// A random MLP with He-initialised weights; `activation` between the dense layers.
    static func mlp(_ sizes: [Int], seed: UInt64, activation: Layer = .relu) throws -> Network {
        var rng = SplitMix64(seed: seed)
        return try RandomNetworks.mlp(
            sizes, activation: activation, weight: { (2 / Double($0)).squareRoot() * rng.nextGaussian() },
            bias: { 0.1 * rng.nextGaussian() })
    }

    /// The LipSDP repository's 2-10-30-20-2 example (exported from the ONNX file by
    /// benchmarks/lipschitz/export_onnx_weights.py).
    static func lipsdpRandomWeights() throws -> Network {
        struct Spec: Decodable {
            struct DenseLayer: Decodable { var weights: [[Double]]; var bias: [Double] }
            var layers: [DenseLayer]
        }
        let url = try #require(Bundle.module.url(forResource: "Fixtures/lipsdp_random_weights", withExtension: "json"))
        let spec = try JSONDecoder().decode(Spec.self, from: Data(contentsOf: url))
        var layers: [Layer] = []
        for (i, l) in spec.layers.enumerated() {
            if i > 0 { layers.append(.relu) }
            layers.append(.dense(Dense(weights: Matrix(l.weights), bias: l.bias)))
        }
        return try Network(inputShape: [1, 2], layers: layers)
    }

    /// ‖J_f(x)‖₂ by power iteration on J Jᵀ (an under-estimate, so a valid lower bound on the Lipschitz constant).
    static func jacobianNorm(_ net: Network, at x: [Double]) -> Double {
        let m = net.outputCount
        let rows = (0..<m).map { j in
            net.valueAndGradient(at: x, outputWeights: (0..<m).map { $0 == j ? 1 : 0 }).gradient
        }
        var v = [Double](repeating: 1, count: m)
        var value = 0.0
        for _ in 0..<100 {
            let jtv = (0..<x.count).map { c in (0..<m).reduce(0) { $0 + rows[$1][c] * v[$1] } }
            let w = rows.map { Vector.dot($0, jtv) }
            value = Vector.norm(w)
            if value == 0 { return 0 }
            v = w.map { $0 / value }
        }
        return value.squareRoot()
    }

    /// Largest Jacobian norm over seeded samples (Gaussian at several scales, or uniform in `box`) followed by a
    /// random local ascent: a lower bound on the (local) Lipschitz constant.
    static func sampledLowerBound(_ net: Network, samples: Int, seed: UInt64, box: Box? = nil) -> Double {
        var rng = SplitMix64(seed: seed)
        let n = net.inputCount
        func draw(scale: Double) -> [Double] {
            if let b = box { return (0..<n).map { b.lower[$0] + Double.random(in: 0...1, using: &rng) * (b.upper[$0] - b.lower[$0]) } }
            return (0..<n).map { _ in scale * rng.nextGaussian() }
        }
        var best = 0.0
        var bestX = draw(scale: 1)
        for s in 0..<samples {
            let x = draw(scale: [0.1, 1, 10][s % 3])
            let g = jacobianNorm(net, at: x)
            if g > best { best = g; bestX = x }
        }
        var step = box.map { Vector.maxAbs($0.widths) / 4 } ?? 0.5
        for _ in 0..<200 {
            var x = bestX.map { $0 + step * rng.nextGaussian() }
            if let b = box { x = b.clamped(x) }
            let g = jacobianNorm(net, at: x)
            if g > best { best = g; bestX = x } else { step *= 0.98 }
        }
        return best
    }
}
