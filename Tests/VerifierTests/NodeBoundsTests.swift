import Bounds
import Network
import Tensor
import Testing
import VNNLib
import Verifier

/// The intermediate bounds of the nodes below a ReLU-split search's root (``SearchOptions/nodeIntermediateMethod``):
/// recomputed by CROWN or kept from the parent (interval), chosen per network by default.
struct NodeBoundsTests {
    /// A seeded conv → ReLU → flatten → dense → ReLU → dense network on a 1×6×6 input.
    static func convNetwork(seed: UInt64) throws -> Network {
        var rng = SplitMix64(seed: seed)
        func values(_ n: Int, _ scale: Double) -> [Double] { (0..<n).map { _ in Double.random(in: -scale...scale, using: &rng) } }
        let conv = Conv2D(inputChannels: 1, inputHeight: 6, inputWidth: 6, outputChannels: 2, kernelHeight: 3,
                          kernelWidth: 3, strideHeight: 2, strideWidth: 2, pads: [1, 1, 1, 1],
                          weights: values(18, 0.8), bias: values(2, 0.2))
        let hidden = 8
        return try Network(inputShape: [1, 1, 6, 6], layers: [
            .conv2d(conv), .relu, .reshape([1, conv.outputCount]),
            .dense(Dense(weights: Matrix(rows: hidden, columns: conv.outputCount, storage: values(hidden * conv.outputCount, 0.6)),
                         bias: values(hidden, 0.2))), .relu,
            .dense(Dense(weights: Matrix(rows: 2, columns: hidden, storage: values(2 * hidden, 0.8)), bias: values(2, 0.1))),
        ])
    }

    /// `network` with each convolution replaced by its dense expansion (the exact MILP encodes dense layers).
    static func denseExpansion(of network: Network) throws -> Network {
        try Network(inputShape: [1, network.inputCount], layers: network.layers.compactMap { layer in
            switch layer {
            case let .conv2d(c): .dense(c.denseEquivalent())
            case .reshape: nil
            default: layer
            }
        })
    }

    @Test func convolutionalNetworksKeepTheParentsBoundsByDefault() throws {
        let conv = try Self.convNetwork(seed: 1)
        let mlp = try Self.denseExpansion(of: conv)
        var search = SearchOptions()
        #expect(search.intermediateMethod(forNodesOf: conv) == .interval)
        #expect(search.intermediateMethod(forNodesOf: mlp) == .crown)
        search.nodeIntermediateMethod = .crown
        #expect(search.intermediateMethod(forNodesOf: conv) == .crown)
        search.nodeIntermediateMethod = .interval
        #expect(search.intermediateMethod(forNodesOf: mlp) == .interval)
    }

    /// Both node methods decide `Y0 − Y1 ≥ m* ± δ` as the exact MILP's maximum `m*` says (unsat above it, sat
    /// below), on a convolutional network, after splitting ReLUs.
    @Test(arguments: [3 as UInt64, 4])
    func bothNodeMethodsAgreeWithTheExactMaximum(seed: UInt64) throws {
        let network = try Self.convNetwork(seed: seed)
        var rng = SplitMix64(seed: seed ^ 0x5EED)
        let centre = (0..<36).map { _ in Double.random(in: -1...1, using: &rng) }
        let box = Box(lower: centre.map { $0 - 0.4 }, upper: centre.map { $0 + 0.4 })
        let optimum = try #require(ExactMILP.maximum(
            box: box, networks: [(try Self.denseExpansion(of: network), Array(0..<36))],
            objective: [(0, 0, 1), (0, 1, -1)]))
        let delta = 0.02 * (1 + abs(optimum))
        for (threshold, expectsSat) in [(optimum + delta, false), (optimum - delta, true)] {
            let inputs = (0..<36).map { "(assert (>= X_\($0) \(box.lower[$0])))\n(assert (<= X_\($0) \(box.upper[$0])))" }
            let text = (0..<36).map { "(declare-const X_\($0) Real)" }.joined(separator: "\n")
                + "\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n" + inputs.joined(separator: "\n")
                + "\n(assert (>= (- Y_0 Y_1) \(threshold)))"
            let spec = try VNNLibParser.parse(contents: text).specification()
            for method in [BoundMethod.crown, .interval] {
                var options = VerificationOptions(timeout: 60, search: SearchOptions(mode: .reluSplit, workers: 1))
                options.search.nodeIntermediateMethod = method
                let result = try Verifier(options: options).verify(network: network, specification: spec)
                switch result.verdict {
                case .violated: #expect(expectsSat, "\(method) found a counterexample above the exact maximum")
                case .proven:
                    #expect(!expectsSat, "\(method) proved unreachable a value below the exact maximum")
                    #expect(result.statistics.nodes > 1, "the root alone closed it: no node below it was bounded")
                default: Issue.record("\(method): \(result.verdict) at threshold \(threshold), optimum \(optimum)")
                }
            }
        }
    }
}
