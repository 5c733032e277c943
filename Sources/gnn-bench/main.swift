// Benchmark driver (not part of the product CLI): gnn-bench NET.onnx [SCORINGS]
// Times the GNN's scoring of every ReLU node (GNNModel.scores: embeddings of size 64, two rounds) on the graph of
// NET, with seeded random features and a seeded untrained model (the cost does not depend on either). Prints one
// line: mean milliseconds per scoring over SCORINGS (default 40) after one warm-up, and a checksum of the scores
// (equal across builds that compute the same scores). benchmarks/branching/scoring.sh runs it with glibc's
// allocator tuned as nncert tunes it (AllocatorTuning), through glibc's environment variables.
import Branching
import Foundation
import ONNX
import Tensor

BLASKernelTuning.applyForThisCPU()  // as nncert does at start

let arguments = CommandLine.arguments
guard arguments.count >= 2, let scorings = arguments.count >= 3 ? Int(arguments[2]) : 40, scorings > 0 else {
    FileHandle.standardError.write(Data("usage: gnn-bench NET.onnx [SCORINGS]\n".utf8))
    exit(2)
}
let graph = GNNGraph(network: try NetworkLoader.load(path: arguments[1]))
var rng = SplitMix64(seed: 1)
let features = GraphFeatures(layers: graph.sizes.indices.map { g in
    let width = GraphFeatures.width(type: GraphFeatures.type(ofLayer: g, count: graph.sizes.count))
    return (0..<(graph.sizes[g] * width)).map { _ in Double.random(in: -1...1, using: &rng) }
})
let model = GNNModel(embedding: 64, rounds: 2, seed: 3)
var checksum = model.scores(graph: graph, features: features).joined().reduce(0, +)
let start = ContinuousClock.now
for _ in 0..<scorings { checksum += model.scores(graph: graph, features: features).joined().reduce(0, +) }
let milliseconds = (ContinuousClock.now - start) / .milliseconds(1) / Double(scorings)
print(String(format: "%.2f ms per scoring (%d scorings of %@ graph nodes), checksum %.12g", milliseconds, scorings,
             "\(graph.sizes.reduce(0, +))", checksum))
