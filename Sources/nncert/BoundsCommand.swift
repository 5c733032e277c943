import ArgumentParser
import Bounds
import Foundation
import ONNX
import VNNLib
import Verifier

/// `nncert bounds NET PROP`: certified output bounds over each of the property's input boxes.
struct BoundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounds",
        abstract: "Print certified bounds on every output over the property's input box(es).")

    @Argument(help: "The network (.onnx or .nnet).")
    var network: String

    @Argument(help: "A VNN-LIB property whose input box(es) define the region.")
    var property: String

    @Option(help: "Bound method: \(BoundMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: BoundMethod = .alphaCrown

    @Flag(help: "Machine-readable output.")
    var json = false

    struct CaseBounds: Encodable {
        var caseIndex: Int
        var lower: [Double]
        var upper: [Double]
    }

    func run() throws {
        let net = try BadInput.reporting(context: network) { try NetworkLoader.load(path: network) }
        let spec = try BadInput.reporting { try Specification(contentsOfFile: property) }
        guard spec.inputCount == net.inputCount else {
            try BadInput.reporting {
                throw CLIInputError(file: property, problem: "the property has \(spec.inputCount) inputs, the network \(net.inputCount)")
            }
            return
        }
        var results: [CaseBounds] = []
        for (k, c) in spec.cases.enumerated() {
            let box = try BadInput.reporting(context: property) {
                try OutputBounds.compute(network: net, over: c.inputBox, method: method)
            }
            results.append(CaseBounds(caseIndex: k, lower: box.lower, upper: box.upper))
        }
        if json {
            print(try JSONOutput.encode(results))
            return
        }
        for r in results {
            print("case \(r.caseIndex) (\(method.rawValue)):")
            for i in r.lower.indices {
                print("  \(spec.outputName(i)) in [\(r.lower[i]), \(r.upper[i])]")
            }
        }
    }
}

extension BoundMethod: ExpressibleByArgument {}
