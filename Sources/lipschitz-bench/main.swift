// Benchmark driver (not part of the product CLI): lipschitz-bench WEIGHTS.json METHOD [ITERATIONS]
// WEIGHTS.json = {"layers": [{"weights": [[row], ...], "bias": [...]}, ...]}, ReLU between layers.
// Prints one line: method bound seconds iterations margin optimum-lower-bound gap ("-" for closed forms).
import Foundation
import LipschitzSDP
import Network
import Tensor

BLASKernelTuning.applyForThisCPU()  // as nncert does at start
BLAS.useThreads(ProcessInfo.processInfo.activeProcessorCount)  // as `nncert lipschitz` does

struct Weights: Decodable {
    struct DenseLayer: Decodable { var weights: [[Double]]; var bias: [Double] }
    var layers: [DenseLayer]
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let method = LipschitzMethod(rawValue: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: lipschitz-bench WEIGHTS.json naive|compositional|lipsdp-layer|lipsdp-neuron [ITER]\n".utf8))
    exit(2)
}
let data = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
let spec = try JSONDecoder().decode(Weights.self, from: data)
var layers: [Layer] = []
for (i, l) in spec.layers.enumerated() {
    if i > 0 { layers.append(.relu) }
    layers.append(.dense(Dense(weights: Matrix(l.weights), bias: l.bias)))
}
let network = try Network(inputShape: [1, spec.layers[0].weights[0].count], layers: layers)
var options = LipschitzOptions()
if arguments.count >= 4, let n = Int(arguments[3]) { options.iterations = n }
if arguments.count >= 5, let r = Double(arguments[4]) { options.learningRate = r }
if arguments.count >= 6, let k = Int(arguments[5]) { options.stallChecks = k }
if arguments.count >= 7, let k = Int(arguments[6]) { options.lanczosSteps = k }
// NNCERT_INTERIOR_POINT=0 turns the interior-point solver off (to compare the two solvers back to back).
if let n = ProcessInfo.processInfo.environment["NNCERT_INTERIOR_POINT"].flatMap(Int.init) {
    options.interiorPointDimension = n
}
let result = try LipschitzAnalyzer(network: network).bound(method: method, options: options)
let lower = result.optimumLowerBound.map { String(format: "%.6f", $0) } ?? "-"
let gap = result.gap.map { String(format: "%.2f%%", 100 * $0) } ?? "-"
print(String(format: "%@ %.6f %.3f %d %.2e %@ %@", method.rawValue, result.bound, result.seconds, result.iterations,
             result.margin, lower, gap))
FileHandle.standardError.write(Data("details: \(result.details)\n".utf8))
