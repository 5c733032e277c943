import ArgumentParser
import Differential
import Foundation
import ONNX
import Tensor
import VNNLib

/// `nncert diff-bound ORIG COMP --property PROP`: certified bounds on `COMP(x) − ORIG(x)` per output over each of
/// the property's input boxes, beside the naive bound from each network's own output bounds.
struct DiffBoundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff-bound",
        abstract: "Print certified bounds on compressed(x) − original(x) per output over the property's input box(es).",
        discussion: """
            The two networks must have the same layer structure (dense, elementwise, ReLU, reshape; same shapes), \
            e.g. a network and its `nncert compress --prune/--quantize/--share` copy. The bound holds in real \
            arithmetic for every input of the box; `naive` is the difference of the two networks' own bounds.
            """)

    @Argument(help: "The original network (.onnx or .nnet).")
    var original: String

    @Argument(help: "The compressed network, of the same layer structure.")
    var compressed: String

    @Option(help: "A VNN-LIB property whose input box(es) define the region.")
    var property: String

    @Option(help: "Input bisections per case to tighten the bound (the leaf with the worst bound is split).")
    var splits = 0

    @Flag(help: "Machine-readable output.")
    var json = false

    struct CaseResult: Encodable {
        var caseIndex: Int
        var box: Box
        var lower: [Double]
        var upper: [Double]
        var maxAbsolute: [Double]
        var naiveLower: [Double]
        var naiveUpper: [Double]
        var naiveMaxAbsolute: [Double]
    }

    func run() throws {
        let f = try BadInput.reporting(context: original) { try NetworkLoader.load(path: original) }
        let g = try BadInput.reporting(context: compressed) { try NetworkLoader.load(path: compressed) }
        let spec = try BadInput.reporting { try Specification(contentsOfFile: property) }
        guard splits >= 0 else { throw ValidationError("--splits must be at least 0") }
        guard spec.inputCount == f.inputCount else {
            try BadInput.reporting {
                throw CLIInputError(file: property, problem: "the property has \(spec.inputCount) inputs, the network \(f.inputCount)")
            }
            return
        }
        let results = try spec.cases.enumerated().map { k, c in
            let d = try BadInput.reporting(context: compressed) {
                try DifferenceBounds.compute(original: f, compressed: g, over: c.inputBox, splits: splits)
            }
            return CaseResult(
                caseIndex: k, box: c.inputBox, lower: d.lower, upper: d.upper, maxAbsolute: d.maxAbsolute,
                naiveLower: d.naiveLower, naiveUpper: d.naiveUpper, naiveMaxAbsolute: d.naiveMaxAbsolute)
        }
        if json {
            print(try JSONOutput.encode(results))
            return
        }
        for r in results { printText(r, spec: spec) }
    }

    private func printText(_ r: CaseResult, spec: Specification) {
        print("case \(r.caseIndex): compressed − original")
        for i in r.lower.indices {
            print("  \(spec.outputName(i)) in [\(r.lower[i]), \(r.upper[i])]  max |diff| <= \(r.maxAbsolute[i])"
                + "  (naive [\(r.naiveLower[i]), \(r.naiveUpper[i])], max \(r.naiveMaxAbsolute[i]))")
        }
    }
}
