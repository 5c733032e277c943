import ArgumentParser
import Bounds
import Branching
import Foundation
import Network
import Tensor
import ONNX
import VNNLib
import Verifier

/// `nncert verify`: decide a property, VNN-COMP style or in the VNN-LIB standard's CLI form.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a property: prints sat (with a counterexample), unsat, timeout or unknown first.",
        discussion: """
            Two forms:
              nncert verify NET.onnx PROP.vnnlib [--timeout S] [--result FILE] [--json] [--mode …] [--branching …]
              nncert verify QUERY.vnnlib --network NAME=MODEL.onnx [--timeout S] [--serialise-assignments DIR]
            The second follows chapter 5 of the VNN-LIB standard (first line sat/unsat/timed-out/unknown, then the \
            assignment of every declared variable for sat).
            """)

    @Argument(help: "NET PROP, or just QUERY with --network.")
    var files: [String]

    @Option(name: .customLong("network"), help: "NAME=MODEL.onnx for the standard's form (repeatable).")
    var networks: [String] = []

    @OptionGroup(title: "Search")
    var search: SearchArguments

    @Option(help: "Write the VNN-COMP result file (verdict, and the counterexample for sat).")
    var result: String?

    @Option(name: .customLong("serialise-assignments"), help: "For sat: write one ONNX TensorProto per variable into this folder as <var>.pb.")
    var serialiseAssignments: String?

    @Flag(help: "Machine-readable output.")
    var json = false

    @Option(help: "Write the search tree as JSON lines (schema: docs/architecture.md, 'The search trace').")
    var trace: String?

    @Option(help: "Resume from the leaves of a search trace of the same problem (a case they do not cover is searched from its root).")
    var resume: String?

    func validate() throws {
        if networks.isEmpty {
            guard files.count == 2 else { throw ValidationError("expected NET PROP, or QUERY --network NAME=MODEL.onnx") }
        } else {
            guard files.count == 1 else { throw ValidationError("with --network, give exactly one QUERY file") }
        }
    }

    func run() throws {
        let standardForm = !networks.isEmpty
        let (netPath, propPath) = try BadInput.reporting { try resolveFiles() }
        let (network, reference) = try BadInput.reporting(context: netPath) {
            try NetworkLoader.loadWithReference(path: netPath)
        }
        let spec = try BadInput.reporting { try Specification(contentsOfFile: propPath) }
        if standardForm { try BadInput.reporting { try checkStandardBindings(spec) } }
        var options = search.options
        try BadInput.reporting { _ = try options.search.branching.makeHeuristic() }  // a model file is input too
        options.search.recordsTrace = trace != nil
        let leaves = try resume.map { path in
            try BadInput.reporting(context: path) {
                try SearchTrace(jsonLines: String(decoding: try FileContents.read(atPath: path), as: UTF8.self)).leaves
            }
        }
        let display = ProgressDisplay.forStandardError()
        if let display {
            options.progress = { @Sendable progress in display.show(progress) }
        }
        let outcome = try BadInput.reporting(context: propPath) {
            let verifier = Verifier(options: options)
            let problem = try VerificationProblem(network: network, specification: spec, reference: reference)
            return try leaves.map { try verifier.verify(problem, startingFrom: $0) } ?? verifier.verify(problem)
        }
        if let trace, let tree = outcome.trace {
            try BadInput.reporting(context: trace) {
                try tree.jsonLines().write(toFile: trace, atomically: true, encoding: String.Encoding.utf8)
            }
        }
        display?.clear()
        let report = VerificationReport(result: outcome, specification: spec)
        if let result { try BadInput.reporting { try report.writeResultFile(result) } }
        if let dir = serialiseAssignments, case .violated(let cex) = outcome.verdict {
            try BadInput.reporting { try AssignmentWriter.serialise(cex, specification: spec, folder: dir) }
        }
        if json {
            print(try JSONOutput.encode(report))
        } else if standardForm {
            print(report.standardText)
        } else {
            print(report.text)
        }
    }

    /// (network path, property path) for either form.
    private func resolveFiles() throws -> (String, String) {
        if networks.isEmpty { return (files[0], files[1]) }
        guard networks.count == 1 else {
            throw CLIInputError(file: files[0], problem: "\(networks.count) --network bindings given; verification of multi-network queries is not implemented yet")
        }
        let parts = networks[0].split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw CLIInputError(file: networks[0], problem: "--network expects NAME=MODEL.onnx")
        }
        return (parts[1], files[0])
    }

    /// The standard requires every non-`equal-to` network to be bound, and no extra bindings.
    private func checkStandardBindings(_ spec: Specification) throws {
        let name = String(networks[0].split(separator: "=", maxSplits: 1)[0])
        let declared = spec.networks.map(\.name)
        guard declared.contains(name) else {
            throw CLIInputError(file: files[0], problem: "--network \(name): the query declares no network of that name (declared: \(declared.joined(separator: ", ")))")
        }
    }
}

