import Foundation
import Tensor

/// One input of the pipeline fuzz tests: a shipped network and property file, one or both mutated.
///
/// Case `index` of a campaign depends only on `(seed, index)`, so a failing case replays alone, and the number
/// of cases (``iterations(default:)``) can grow without changing the earlier ones.
public struct PipelineCase: Sendable {
    /// A shipped (network, property) pair, as bytes.
    public struct Source: Sendable {
        /// Paths relative to `properties/`.
        public var networkName: String
        public var propertyName: String
        public var network: [UInt8]
        public var property: [UInt8]

        /// Reads `properties/<network>` and `properties/<property>` under `root`.
        public init(root: URL, network: String, property: String) throws {
            networkName = network
            propertyName = property
            self.network = [UInt8](try Data(contentsOf: root.appendingPathComponent(network)))
            self.property = [UInt8](try Data(contentsOf: root.appendingPathComponent(property)))
        }
    }

    /// The pairs the campaigns mutate (paths relative to `properties/`): every network family and both
    /// verdicts, property shapes from one box to ACAS Xu's two boxes and MNIST's 784 inputs.
    public static let shippedPairs: [(network: String, property: String)] = [
        ("tiny/tiny.onnx", "tiny/tiny_sat.vnnlib"),
        ("tiny/tiny.onnx", "tiny/tiny_unsat.vnnlib"),
        ("test/test_nano.onnx", "test/test_nano.vnnlib"),
        ("test/test_tiny.onnx", "test/test_tiny.vnnlib"),
        ("test/test_small.onnx", "test/test_small.vnnlib"),
        ("test/test_sat.onnx", "test/test_prop.vnnlib"),
        ("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_1.vnnlib"),
        ("acasxu/ACASXU_run2a_1_2_batch_2000.onnx", "acasxu/prop_2.vnnlib"),
        ("acasxu/ACASXU_run2a_1_9_batch_2000.onnx", "acasxu/prop_6.vnnlib"),
        ("mnistfc/mnist-net_256x2.onnx", "mnistfc/prop_0_0.03.vnnlib"),
    ]

    /// Which pair, by ``shippedPairs`` index.
    public var pair: Int
    /// What was mutated: `network`, `property` or `both`.
    public var mutated: String
    /// The (possibly mutated) ONNX bytes.
    public var network: [UInt8]
    /// The (possibly mutated) VNN-LIB bytes.
    public var property: [UInt8]

    /// Case `index` of the campaign `seed`: a pair, then binary edits of the network (4 in 10), edits of the
    /// property's text or numbers (4 in 10), or both (2 in 10).
    public init(index: Int, seed: UInt64, sources: [Source]) {
        var rng = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        pair = Int.random(in: 0..<sources.count, using: &rng)
        network = sources[pair].network
        property = sources[pair].property
        let choice = Int.random(in: 0..<10, using: &rng)
        mutated = choice < 4 ? "network" : choice < 8 ? "property" : "both"
        if mutated != "property" { Mutator.mutateBinary(&network, using: &rng) }
        if mutated != "network" {
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                if Bool.random(using: &rng) {
                    Mutator.mutateNumbers(&property, using: &rng)
                } else {
                    Mutator.mutateText(&property, using: &rng)
                }
            }
        }
    }

    /// `NNCERT_FUZZ_ITERATIONS` from the environment when it is a positive integer, else `defaultCount`.
    public static func iterations(default defaultCount: Int) -> Int {
        guard let text = ProcessInfo.processInfo.environment["NNCERT_FUZZ_ITERATIONS"], let n = Int(text), n > 0
        else { return defaultCount }
        return n
    }
}
