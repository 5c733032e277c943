import ArgumentParser
import Bounds
import Branching
import Foundation
import Network
import Suite
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
              nncert verify QUERY.vnnlib --network NAME=MODEL.onnx … [--timeout S] [--serialise-assignments DIR]
            The second follows chapter 5 of the VNN-LIB standard (first line sat/unsat/timed-out/unknown, then the \
            assignment of every declared variable for sat). Give one --network per declared network that is not \
            equal-to another; a query over several networks is verified on their product network, inputs tied by \
            == shared, and a sat witness is replayed on every network separately.
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

    @Option(help: "Start from a search trace of the same property on another network of the same structure (an original's proof for its pruned or quantised copy): its counterexample is tried first, its leaves are re-bounded on this network (docs/architecture.md, 'Proof reuse').")
    var reuse: String?

    @Option(name: .customLong("proof-cache"), help: "A folder of search traces keyed by network and property hashes: start from this network's or another network's proof of the property, and store this run's trace (decided runs).")
    var proofCache: String?

    func validate() throws {
        if networks.isEmpty {
            guard files.count == 2 else { throw ValidationError("expected NET PROP, or QUERY --network NAME=MODEL.onnx") }
        } else {
            guard files.count == 1 else { throw ValidationError("with --network, give exactly one QUERY file") }
        }
        if resume != nil, reuse != nil { throw ValidationError("give --resume or --reuse, not both") }
    }

    func run() throws {
        let bindings = try BadInput.reporting { try NetworkArgument.parse(networks) }
        if bindings.count > 1 { return try runMultiNetwork(bindings, query: files[0], specification: nil) }
        let standardForm = !networks.isEmpty
        let (netPath, propPath) = standardForm ? (bindings[0].path, files[0]) : (files[0], files[1])
        let plain = try BadInput.reporting(context: netPath) { try InstanceVerification.loadNetwork(atPath: netPath) }
        let spec = try BadInput.reporting { try InstanceVerification.loadProperty(atPath: propPath) }
        if standardForm {
            try BadInput.reporting { try checkStandardBindings(spec, bindings, query: propPath) }
            if spec.networks.count > 1 { return try runMultiNetwork(bindings, query: propPath, specification: spec) }
        }
        let (network, reference, taps) = try BadInput.reporting(context: netPath) {
            try InstanceVerification.keepingHiddenNodes(of: spec, atPath: netPath, loaded: plain)
        }
        let options = try searchOptions()
        let leaves = try resumeLeaves()
        let problem = try BadInput.reporting(context: propPath) {
            try VerificationProblem(network: network, specification: spec, reference: reference, hiddenLayers: taps)
        }
        let cache = proofCache.map { ProofCache(directory: $0) }
        let outcome: VerificationResult
        if let source = try reuseSource(problem, cache: cache) {
            outcome = try verify(problem, options: options, reusing: source)
        } else {
            outcome = try BadInput.reporting(context: propPath) {
                try InstanceVerification.verify(problem, options: options, start: leaves.map { .leaves($0) } ?? .root)
            }
        }
        if let cache, let tree = outcome.trace { _ = try BadInput.reporting { try cache.store(tree) } }
        try finish(outcome, specification: spec, standardForm: standardForm)
    }

    /// A trace to start from: its lines (nodes not yet decoded), its file, and whether it came from the cache.
    private typealias ReuseSource = (trace: SearchTrace.Lines, path: String, isCached: Bool)

    /// The trace to reuse: `--reuse`, else the proof cache's entry for `problem` (unless `--resume` was given). A
    /// cache entry is announced on stderr.
    private func reuseSource(_ problem: VerificationProblem, cache: ProofCache?) throws -> ReuseSource? {
        if let reuse {
            return (try readLines(reuse), reuse, false)
        }
        guard resume == nil, let entry = cache?.lookup(problem) else { return nil }
        let whose = entry.isSameNetwork ? "this network's proof" : "another network's proof of this property"
        note("proof cache: starting from \(whose), \(entry.path)")
        return (entry.trace, entry.path, true)
    }

    /// Verifies `problem` from `source`: a trace given with `--reuse` that does not decode is bad input (exit 2,
    /// naming the file and line); a cache entry that does not is skipped (the cache is advisory).
    private func verify(_ problem: VerificationProblem, options: VerificationOptions, reusing source: ReuseSource)
        throws -> VerificationResult
    {
        try BadInput.reporting(context: source.path) {
            do {
                return try InstanceVerification.verify(problem, options: options, start: .reuse(source.trace))
            } catch VerifierError.unreadableTrace(let error) where source.isCached {
                note("proof cache: \(source.path): \(error); verifying from scratch")
                return try InstanceVerification.verify(problem, options: options, start: .root)
            }
        }
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("nncert: note: \(text)\n".utf8))
    }

    /// The standard form over several networks: every model loaded, the query verified on their product.
    private func runMultiNetwork(_ bindings: [NetworkArgument], query: String, specification: Specification?) throws {
        let spec = try specification
            ?? BadInput.reporting { try InstanceVerification.loadProperty(atPath: query) }
        try BadInput.reporting { try checkStandardBindings(spec, bindings, query: query) }
        var models: [String: Network] = [:]
        var references: [String: any ReferenceEvaluator] = [:]
        for binding in bindings {
            let (network, reference) = try BadInput.reporting(context: binding.path) {
                try NetworkLoader.loadWithReference(path: binding.path)
            }
            models[binding.name] = network
            references[binding.name] = reference
        }
        guard reuse == nil, proofCache == nil else {
            return try BadInput.reporting {
                throw CLIInputError(file: query, problem: "--reuse and --proof-cache apply to single-network queries")
            }
        }
        let options = try searchOptions()
        let leaves = try resumeLeaves()
        let outcome = try BadInput.reporting(context: query) {
            let verifier = Verifier(options: options)
            let problem = try MultiNetworkProblem(networks: models, specification: spec, references: references)
            return try leaves.map { try verifier.verify(problem, startingFrom: $0) } ?? verifier.verify(problem)
        }
        try finish(outcome, specification: spec, standardForm: true)
    }

    /// The search options of the command line, with progress on stderr when it is a terminal.
    private func searchOptions() throws -> VerificationOptions {
        var options = search.options
        try BadInput.reporting { _ = try options.search.branching.makeHeuristic() }  // a model file is input too
        options.search.recordsTrace = trace != nil || proofCache != nil
        if let display = ProgressDisplay.forStandardError() {
            options.progress = { @Sendable progress in display.show(progress) }
        }
        return options
    }

    /// The leaves of `--resume`, if given.
    private func resumeLeaves() throws -> [SearchLeaf]? {
        try resume.map { try readTrace($0).leaves }
    }

    /// The search trace in the file at `path`, header read and nodes not yet decoded (bad input, exit 2, naming the
    /// file and line).
    private func readLines(_ path: String) throws -> SearchTrace.Lines {
        try BadInput.reporting(context: path) {
            try SearchTrace.Lines(String(decoding: try FileContents.read(atPath: path), as: UTF8.self))
        }
    }

    /// The search trace in the file at `path`, decoded (bad input, exit 2, naming the file and line).
    private func readTrace(_ path: String) throws -> SearchTrace {
        let lines = try readLines(path)
        return try BadInput.reporting(context: path) { try lines.decoded() }
    }

    /// Writes the trace, result file and assignments, and prints the verdict.
    private func finish(_ outcome: VerificationResult, specification spec: Specification, standardForm: Bool) throws {
        if let trace, let tree = outcome.trace {
            try BadInput.reporting(context: trace) {
                try tree.jsonLines().write(toFile: trace, atomically: true, encoding: String.Encoding.utf8)
            }
        }
        ProgressDisplay.forStandardError()?.clear()
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

    /// The standard binds every declared network that is not `equal-to` another, and nothing else.
    private func checkStandardBindings(_ spec: Specification, _ bindings: [NetworkArgument], query: String) throws {
        let declared = spec.networks.map(\.name)
        for binding in bindings {
            guard let network = spec.networks.first(where: { $0.name == binding.name }) else {
                throw CLIInputError(
                    file: query,
                    problem: "--network \(binding.name): the query declares no network of that name (declared: "
                        + "\(declared.joined(separator: ", ")))")
            }
            if case let .equalTo(target)? = network.equivalence {
                throw CLIInputError(
                    file: query,
                    problem: "--network \(binding.name): the query declares \(binding.name) equal-to \(target), so it "
                        + "takes \(target)'s model and must not be bound")
            }
        }
        for network in spec.networks where network.equivalence?.isEqualTo != true {
            guard bindings.contains(where: { $0.name == network.name }) else {
                let place = (network.inputs.first ?? network.outputs.first).map { ":\($0.declaration.location)" } ?? ""
                throw CLIInputError(
                    file: query + place,
                    problem: "network \(network.name) is declared but not bound; give --network \(network.name)=MODEL.onnx")
            }
        }
    }
}

extension NetworkEquivalence {
    /// True for `equal-to`.
    fileprivate var isEqualTo: Bool {
        if case .equalTo = self { return true }
        return false
    }
}
