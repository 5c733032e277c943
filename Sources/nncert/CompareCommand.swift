import ArgumentParser
import Comparison
import Differential
import Foundation
import LipschitzSDP
import ONNX
import Tensor
import VNNLib
import Verifier

/// `nncert compare ORIG COMP --property P…`: each property on both networks (preserved, lost, gained), certified
/// bounds on |COMP − ORIG| over each property's box, decision equivalence, and both Lipschitz bounds.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a compressed network with its original, property by property.",
        discussion: """
            For each property: the verdict on both networks and whether the guarantee is preserved, lost (with a \
            counterexample confirmed on the compressed network), gained, violated in both, or undecided; a \
            certified bound on max |compressed − original| over each input box beside the largest difference an \
            attack finds; and for classifiers, whether the top class is the same on the whole box (proved or \
            refuted). Then the certified l2 Lipschitz bound of each network and their ratio.
            """)

    @Argument(help: "The original network (.onnx or .nnet).")
    var original: String

    @Argument(help: "The compressed network (same inputs and outputs).")
    var compressed: String

    @Option(name: .customLong("property"), help: "A VNN-LIB property (repeatable).")
    var properties: [String] = []

    @OptionGroup(title: "Search (each verification run)")
    var search: SearchArguments

    @Option(help: "How a classifier decides: argmax, argmin (ACAS Xu advisories), or none to skip the check.")
    var decision = "argmax"

    @Option(name: .customLong("decision-timeout"), help: "Time limit in seconds of each decision-equivalence search.")
    var decisionTimeout: Double = 30

    @Option(name: .customLong("lipschitz-method"), help: "Lipschitz method, or none to skip: \(LipschitzMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var lipschitzMethod = LipschitzMethod.lipsdpNeuron.rawValue

    @Option(help: "Most input bisections per case for the |compressed − original| bound.")
    var splits = 100_000

    @Option(name: .customLong("difference-time-limit"),
            help: "Seconds per case for refining the |compressed − original| bound (it stops earlier once within 2x of the attacked value).")
    var differenceTimeLimit = 10.0

    @Flag(help: "Machine-readable output.")
    var json = false

    @OptionGroup(title: "Proof reuse") var reuse: ProofReuseArguments

    @Option(help: "Also write the report as Markdown to this file.")
    var report: String?

    func validate() throws {
        guard decision == "none" || DecisionRule(rawValue: decision) != nil else {
            throw ValidationError("--decision must be argmax, argmin or none")
        }
        guard lipschitzMethod == "none" || LipschitzMethod(rawValue: lipschitzMethod) != nil else {
            throw ValidationError("--lipschitz-method must be one of \(LipschitzMethod.allCases.map(\.rawValue).joined(separator: ", ")) or none")
        }
        guard splits >= 0 else { throw ValidationError("--splits must be at least 0") }
        guard differenceTimeLimit >= 0 else { throw ValidationError("--difference-time-limit must be at least 0") }
        guard decisionTimeout > 0 else { throw ValidationError("--decision-timeout must be positive") }
    }

    func run() throws {
        let f = try load(original), g = try load(compressed)
        let specs = try properties.map { path in try BadInput.reporting { try Specification(contentsOfFile: path) } }
        let named = zip(properties, specs).map { ComparedProperty(name: Self.displayName($0), specification: $1) }
        let display = ProgressDisplay.forStandardError()
        let comparison = try BadInput.reporting {
            try Comparator(options: options).compare(original: f, compressed: g, properties: named) { p in
                display?.show(p)
            }
        }
        display?.clear()
        let result = ComparisonReport(comparison, original: original, compressed: compressed, specifications: specs,
                                      lipschitzMethod: LipschitzMethod(rawValue: lipschitzMethod))
        if let report {
            try BadInput.reporting(context: report) {
                do { try result.markdown.write(toFile: report, atomically: true, encoding: .utf8) } catch {
                    throw CLIInputError(file: report, problem: FileContents.reason(for: error))
                }
            }
        }
        print(json ? try JSONOutput.encode(result) : result.text)
    }

    private var options: ComparisonOptions {
        var options = ComparisonOptions(
            verification: search.options, lipschitzMethod: LipschitzMethod(rawValue: lipschitzMethod),
            difference: DifferenceBudget(maxLeaves: splits + 1, timeLimit: differenceTimeLimit),
            decision: DecisionRule(rawValue: decision), decisionTimeout: decisionTimeout)
        reuse.apply(to: &options)
        return options
    }

    private func load(_ path: String) throws -> ComparedNetwork {
        let (network, reference) = try BadInput.reporting(context: path) { try NetworkLoader.loadWithReference(path: path) }
        return ComparedNetwork(network, reference: reference)
    }

    /// `prop_1` for `…/prop_1.vnnlib`.
    static func displayName(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}
