import ArgumentParser
import Comparison
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
            Networks of one layer structure (dense, convolution of the same geometry, elementwise, ReLU, \
            reshape; same shapes), e.g. a network and its `nncert compress --prune/--quantize/--share` copy, are \
            bounded by difference propagation; a \
            compressed network with fewer hidden neurons (`--structured-prune`) is widened by zero neurons first. \
            Any other pair of ReLU networks with the same inputs and outputs (a `--low-rank` copy, another \
            depth) is bounded by CROWN on the product network x -> COMP(x) - ORIG(x). Two classifiers that \
            end in a softmax over all outputs are bounded through their logits: the pairwise logit differences \
            (z_i - z_k) as above, times the softmax's largest slope y(1 - y) over each leaf. The bound holds in real \
            arithmetic for every input of the box; `naive` is the difference of the two networks' own bounds.
            The box is refined best-first, by input bisection or by splitting an unstable ReLU of either \
            network into its two phases (--split-choice), until the certified max |diff| is within \
            --target-ratio of the attacked lower bound (PGD on |diff|), --splits splits were made, or 30% of \
            --time-limit passed; if the target is not reached, branch and bound on the difference network \
            (checked against difference propagation at every node) tries to prove max |diff| <= target ratio \
            × attacked with the rest of the time (stop: proof), raising the attacked bound when it finds a \
            larger difference instead.
            """)

    @Argument(help: "The original network (.onnx or .nnet).")
    var original: String

    @Argument(help: "The compressed network, of the same layer structure.")
    var compressed: String

    @Option(help: "A VNN-LIB property whose input box(es) define the region.")
    var property: String

    @Option(help: "The most splits per case (the leaf with the worst bound is split first); 0: none.")
    var splits = 100_000

    @Option(name: .customLong("time-limit"), help: "Seconds per case (refinement, then proof).")
    var timeLimit = 60.0

    @Option(name: .customLong("target-ratio"), help: "Stop once certified max |diff| <= this × the attacked one.")
    var targetRatio = 2.0

    @Option(name: .customLong("attack-samples"), help: "Random points of the attack (0: no attack, no ratio).")
    var attackSamples = 512

    @Option(
        name: .customLong("split-choice"),
        help: """
            How to split a leaf: smear (bisect the input of largest |coefficient| × width), widest (bisect the \
            widest input), relu (split the unstable ReLU of either network that the bound blames most), auto \
            (relu on networks with convolutions, smear otherwise).
            """)
    var splitChoice = "auto"

    @Flag(name: .customLong("no-proof"), help: "Refinement only, for the whole --time-limit (no branch-and-bound proof).")
    var noProof = false

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
        /// `|g − f|` reached by the attack per output (absent without an attack).
        var attacked: [Double]?
        var attackInputs: [[Double]]?
        var certifiedWorst: Double
        var attackedWorst: Double?
        var naiveWorst: Double
        /// certifiedWorst / attackedWorst.
        var ratio: Double?
        var leaves: Int
        /// How many splits were ReLU phase splits.
        var reluSplits: Int
        var seconds: Double
        var stop: DifferenceRefinement.Stop
        var method: DifferenceRefinement.Method
        /// The unsplit product network's CROWN bound of `max |g − f|` (absent when it cannot be built).
        var productNetworkWorst: Double?
    }

    func run() throws {
        let f = try BadInput.reporting(context: original) { try NetworkLoader.load(path: original) }
        let g = try BadInput.reporting(context: compressed) { try NetworkLoader.load(path: compressed) }
        let spec = try BadInput.reporting { try Specification(contentsOfFile: property) }
        guard splits >= 0 else { throw ValidationError("--splits must be at least 0") }
        guard timeLimit >= 0, targetRatio >= 1, attackSamples >= 0 else {
            throw ValidationError("--time-limit must be >= 0, --target-ratio >= 1, --attack-samples >= 0")
        }
        guard let choice = DifferenceBudget.SplitChoice(rawValue: splitChoice) else {
            throw ValidationError("--split-choice must be smear, widest, relu or auto")
        }
        var budget = DifferenceBudget(
            maxLeaves: splits + 1, timeLimit: timeLimit, targetRatio: attackSamples > 0 ? targetRatio : nil,
            attack: attackSamples > 0 ? DifferenceAttack(samples: attackSamples) : nil)
        budget.splitChoice = choice
        guard spec.inputCount == f.inputCount else {
            try BadInput.reporting {
                throw CLIInputError(file: property, problem: "the property has \(spec.inputCount) inputs, the network \(f.inputCount)")
            }
            return
        }
        let results = try spec.cases.enumerated().map { k, c in
            let r = try BadInput.reporting(context: compressed) {
                var certifier = DifferenceCertifier(budget: budget)
                certifier.proves = !noProof
                return try certifier.compute(original: f, compressed: g, over: c.inputBox)
            }
            let d = r.bounds
            return CaseResult(
                caseIndex: k, box: c.inputBox, lower: d.lower, upper: d.upper, maxAbsolute: d.maxAbsolute,
                naiveLower: d.naiveLower, naiveUpper: d.naiveUpper, naiveMaxAbsolute: d.naiveMaxAbsolute,
                attacked: r.attack?.values, attackInputs: r.attack?.inputs, certifiedWorst: r.certifiedWorst,
                attackedWorst: r.attack?.worst, naiveWorst: d.naiveMaxAbsolute.max() ?? 0, ratio: r.ratio,
                leaves: r.leaves, reluSplits: r.reluSplits, seconds: r.seconds, stop: r.stop, method: r.method,
                productNetworkWorst: (r.productNetwork
                    ?? (try? DifferenceBounds.productNetwork(original: f, compressed: g, over: c.inputBox)))?.maxAbsolute.max())
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
            let attacked = r.attacked.map { "  attacked >= \($0[i])" } ?? ""
            print("  \(spec.outputName(i)) in [\(r.lower[i]), \(r.upper[i])]  max |diff| <= \(r.maxAbsolute[i])"
                + attacked + "  (naive [\(r.naiveLower[i]), \(r.naiveUpper[i])], max \(r.naiveMaxAbsolute[i]))")
        }
        var summary = "  certified max |diff| <= \(r.certifiedWorst)"
        if let a = r.attackedWorst { summary += ", attacked >= \(a)" }
        if let q = r.ratio { summary += " (ratio \(String(format: "%.2f", q)))" }
        summary += ", naive \(r.naiveWorst)" + (r.productNetworkWorst.map { ", product network \($0)" } ?? "")
        summary += "; \(r.leaves) leaves (\(r.reluSplits) ReLU splits), \(String(format: "%.2f", r.seconds)) s, stopped: \(r.stop.rawValue), \(r.method.rawValue)"
        print(summary)
    }
}
