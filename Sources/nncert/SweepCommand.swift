import ArgumentParser
import Comparison
import Differential
import Foundation
import Gate
import LipschitzSDP
import ONNX
import Reporting
import Sweep
import Tensor
import VNNLib
import Verifier

/// `nncert sweep NET --prune 0.1,0.2,… --property P…`: compress at each level, compare each level with the
/// original, and plot the trade-off.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Compress a network at several levels and show what each level keeps (HTML with plots, JSON, CSV).",
        discussion: """
            Give exactly one list of levels (--prune, --quantize, --structured-prune, --low-rank or --share). \
            The original is verified once per property (its proofs are reused at every level); each level is \
            compressed, its properties verified, its certified Lipschitz bound and its certified max \
            |compressed − original| over the properties' boxes computed, and its decisions compared with the \
            original's on sampled inputs. The HTML report plots each measure against the level and marks the \
            Pareto-best levels and the most compressed level that loses no property. Exit code: 0 when every \
            level checked keeps every property the original proves, 1 when some level loses one (the report \
            names it), 2 bad input. With --policy, every level also runs the gate's checks (the report's checks \
            and exit code are then the gate's: 1 when some level loses a guarantee, 3 when some check is \
            undecided and the policy says that fails).
            """)

    @Argument(help: "The original network (.onnx or .nnet).")
    var network: String

    @Option(name: .customLong("property"), help: "A VNN-LIB property (repeatable).")
    var properties: [String] = []

    @Option(help: ArgumentHelp("Pruning fractions, e.g. 0.1,0.3,0.5.", valueName: "F,…"))
    var prune: String?
    @Option(help: ArgumentHelp("Quantisation bits, e.g. 8,6,4,3,2.", valueName: "B,…"))
    var quantize: String?
    @Option(help: ArgumentHelp("Structured pruning fractions.", valueName: "F,…"))
    var structuredPrune: String?
    @Option(help: ArgumentHelp("Low-rank ranks.", valueName: "R,…"))
    var lowRank: String?
    @Option(help: ArgumentHelp("Weight-sharing cluster counts.", valueName: "K,…"))
    var share: String?

    @OptionGroup(title: "Search (each verification run)")
    var search: SearchArguments

    @Option(help: "How the networks decide, for the sampled agreement: argmax or argmin (ACAS Xu).")
    var decision: DecisionRule = .argmax

    @Option(help: "Inputs sampled per level for the decision agreement (0 skips it).")
    var samples = 2000

    @Option(name: .customLong("lipschitz-method"),
            help: "Lipschitz method, or none to skip: \(LipschitzMethod.allCases.map(\.rawValue).joined(separator: ", ")) (default compositional: deterministic and quick, so ratios between levels mean something; LipSDP within a few seconds is tighter but not converged).")
    var lipschitzMethod = LipschitzMethod.compositional.rawValue

    @Option(name: .customLong("lipschitz-time-limit"), help: "Seconds per network for the Lipschitz bound.")
    var lipschitzTimeLimit = 5.0

    @Option(name: .customLong("difference-time-limit"), help: "Seconds per box for the max |compressed − original| bound.")
    var differenceTimeLimit = 2.0

    @Option(help: ArgumentHelp("Write the HTML report (tables and SVG plots).", valueName: "file"))
    var html: String?

    @OptionGroup(title: "Proof reuse") var reuse: ProofReuseArguments

    @Option(help: ArgumentHelp(
        "Run the gate's checks of this policy (docs/ci.md) at every level: they become the report's checks and the level's gate outcome.",
        valueName: "file"))
    var policy: String?

    @OptionGroup(title: "Reports") var outputs: ReportArguments
    @OptionGroup var shard: ShardArgument

    func validate() throws {
        let lists = [prune, quantize, structuredPrune, lowRank, share].compactMap { $0 }
        guard lists.count == 1 else {
            throw ValidationError("give exactly one of --prune, --quantize, --structured-prune, --low-rank, --share")
        }
        _ = try levels()
        guard !properties.isEmpty else { throw ValidationError("give at least one --property") }
        guard lipschitzMethod == "none" || LipschitzMethod(rawValue: lipschitzMethod) != nil else {
            throw ValidationError("--lipschitz-method must be one of \(LipschitzMethod.allCases.map(\.rawValue).joined(separator: ", ")) or none")
        }
        guard samples >= 0, lipschitzTimeLimit > 0, differenceTimeLimit >= 0 else {
            throw ValidationError("--samples, --lipschitz-time-limit and --difference-time-limit must not be negative")
        }
        _ = try shard.parsed()
    }

    /// The levels of the one list given, each validated.
    func levels() throws -> [SweepLevel] {
        let axes: [(SweepLevel.Axis, String?)] = [
            (.prune, prune), (.quantize, quantize), (.structuredPrune, structuredPrune), (.lowRank, lowRank),
            (.share, share),
        ]
        guard let (axis, list) = axes.first(where: { $0.1 != nil }), let list else { return [] }
        let values = try list.split(separator: ",").map { text in
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw ValidationError("--\(axis.rawValue): '\(text)' is not a number")
            }
            return v
        }
        guard !values.isEmpty else { throw ValidationError("--\(axis.rawValue) needs at least one value") }
        let levels = SweepLevel.levels(axis, values: values)
        for level in levels {
            for step in level.pipeline.steps {
                do { try step.validate() } catch {
                    throw ValidationError("--\(axis.rawValue) \(level.label): \(error.description)")
                }
            }
        }
        return levels
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        let (f, reference) = try BadInput.reporting(context: network) { try NetworkLoader.loadWithReference(path: network) }
        let named = try properties.map { path in
            ComparedProperty(
                name: CompareCommand.displayName(path),
                specification: try BadInput.reporting { try Specification(contentsOfFile: path) })
        }
        let all = try levels(), part = try shard.parsed()
        var options = self.options
        var scratchCache: URL?
        defer { if let scratchCache { try? FileManager.default.removeItem(at: scratchCache) } }
        if let policy {
            let rules = try BadInput.reporting { try GatePolicy(contentsOfFile: policy) }
            // The gate's checks reuse the proofs of the level's comparison: without --proof-cache, through a
            // temporary cache removed at the end (unless --no-proof-reuse).
            if options.comparison.proofCache == nil, options.comparison.reusesProofs {
                let folder = FileManager.default.temporaryDirectory
                    .appendingPathComponent("nncert-sweep-proofs-\(getpid())")
                scratchCache = folder
                options.comparison.proofCache = ProofCache(directory: folder.path)
            }
            let gate = Gate(policy: rules, verification: options.comparison.verification,
                            proofCache: options.comparison.reusesProofs ? options.comparison.proofCache : nil)
            options.gate = (gate, try BadInput.reporting { try gate.specifications() })
        }
        let chosen = part.map { $0.select(all).map(\.element) } ?? all
        let display = ProgressDisplay.forStandardError()
        let outcome = try BadInput.reporting(context: network) {
            try Sweeper(options: options).sweep(
                original: ComparedNetwork(f, reference: reference), levels: chosen, properties: named
            ) { p in
                display?.showBar(done: p.levelsDone, total: chosen.count,
                                 label: (p.level ?? "original") + ": " + p.step.stage + (p.step.property.map { " (\($0))" } ?? ""))
            }
        }
        display?.clear()
        let indices = part.map { s in s.select(all).map(\.index) } ?? Array(all.indices)
        let report = SweepChecks(outcome: outcome, levelIndices: indices, totalLevels: all.count).report(
            title: "sweep: \(CompareCommand.displayName(network)) by \(all[0].axis.rawValue)", shard: part,
            seconds: (clock.now - start).seconds, attributes: ["network": network])
        try outputs.write(report)
        if let html {
            let page = outcome.result.html(title: report.title)
            try BadInput.reporting(context: html) {
                do { try page.write(toFile: html, atomically: true, encoding: .utf8) } catch {
                    throw CLIInputError(file: html, problem: FileContents.reason(for: error))
                }
            }
        }
        print(SweepChecks.table(outcome.result), terminator: "")
        throw ExitStatus.of(report.outcome).exitCode
    }

    private var options: SweepOptions {
        var comparison = SweepOptions.defaultComparison
        comparison.verification = search.options
        comparison.lipschitzMethod = LipschitzMethod(rawValue: lipschitzMethod)
        comparison.lipschitz.timeLimit = lipschitzTimeLimit
        comparison.difference.timeLimit = differenceTimeLimit
        reuse.apply(to: &comparison)
        return SweepOptions(comparison: comparison, decision: decision, agreementSamples: samples)
    }
}

extension DecisionRule: ExpressibleByArgument {}

extension SweepChecks {
    /// The terminal table: one row per level.
    static func table(_ result: SweepResult) -> String {
        let pareto = Set(result.paretoBest)
        func n(_ v: Double?) -> String { v.map { String(format: "%.4g", $0) } ?? "-" }
        var rows = [["level", "non-zeros", "bytes", "proven", "lost", "L ratio", "max |g-f|", "attacked", "agree"]]
        for (i, p) in result.points.enumerated() {
            let mark = (pareto.contains(i) ? " *" : "") + (result.recommended == i ? " ok" : "")
            rows.append([p.level + mark, "\(p.nonzeroWeights)", "\(p.bytes)", "\(p.proven)", "\(p.count(.lost))",
                         n(p.lipschitzRatio), n(p.maxDifference), n(p.attackedDifference),
                         p.agreement.map { String(format: "%.1f%%", 100 * $0) } ?? "-"])
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        var lines = rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        lines.append("* Pareto-best   ok recommended: "
            + (result.recommended.map { result.points[$0].level } ?? "no level keeps every property"))
        return lines.joined(separator: "\n") + "\n"
    }
}
