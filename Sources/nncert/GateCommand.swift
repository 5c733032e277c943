import ArgumentParser
import Comparison
import Foundation
import Gate
import ONNX
import Reporting
import Verifier

/// `nncert gate ORIG COMP --policy POLICY`: the checks a policy file asks of a compressed network, with an exit code
/// for CI (docs/ci.md).
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Check a compressed network against a policy of guarantees it must keep (for CI).",
        discussion: """
            The policy (YAML or JSON, schema in docs/ci.md) lists the properties that must stay proven, the \
            allowed Lipschitz ratio, the allowed max |compressed − original| per property or output, time limits \
            and what an undecided check means. Prints a Markdown summary; --json, --junit and --summary write the \
            report. Exit code: 0 every check passed (or only warned), 1 a guarantee is lost (the report carries the \
            counterexample), 3 a check is undecided and the policy says that fails, 2 bad input.
            """)

    @Argument(help: "The original network (.onnx or .nnet).")
    var original: String

    @Argument(help: "The compressed network (same inputs and outputs).")
    var compressed: String

    @Option(help: ArgumentHelp("The policy file (.yaml, .yml or .json).", valueName: "file"))
    var policy: String

    @OptionGroup var outputs: ReportArguments

    @OptionGroup var shard: ShardArgument

    @Option(help: "Worker threads of each verification run (default: \(SearchOptions().workers)).")
    var workers: Int?

    @Option(name: .customLong("proof-cache"), help: ArgumentHelp(
        "Keep proofs in this directory: the compressed network's search starts from a cached proof of the same property (the original's, or an earlier version's); persist it between CI runs.",
        valueName: "dir"))
    var proofCache: String?

    func validate() throws {
        if let workers { guard workers >= 1 else { throw ValidationError("--workers must be at least 1") } }
    }

    func run() throws {
        let shard = try shard.parsed()
        let rules = try BadInput.reporting { try GatePolicy(contentsOfFile: policy) }
        var options = VerificationOptions()
        if let workers { options.search.workers = workers }
        let gate = Gate(policy: rules, verification: options, proofCache: proofCache.map { ProofCache(directory: $0) })
        let specifications = try BadInput.reporting { try gate.specifications() }
        let f = try load(original), g = try load(compressed)
        let display = ProgressDisplay.forStandardError()
        let report = try BadInput.reporting {
            try gate.run(
                original: f, compressed: g, specifications: specifications, shard: shard,
                title: "gate: \(Self.fileName(original)) → \(Self.fileName(compressed))",
                attributes: ["original": original, "compressed": compressed]
            ) { display?.show($0) }
        }
        display?.clear()
        try outputs.write(report)
        print(report.markdown(), terminator: "")
        throw ExitStatus.of(report.outcome).exitCode
    }

    private func load(_ path: String) throws -> ComparedNetwork {
        let (network, reference) = try BadInput.reporting(context: path) { try NetworkLoader.loadWithReference(path: path) }
        return ComparedNetwork(network, reference: reference)
    }

    private static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
}
