import ArgumentParser
import Foundation
import Reporting
import Suite

/// `nncert suite LIST`: verify every instance of a benchmark list, in this process, and report the results.
struct SuiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Verify every instance of a list (VNN-COMP instances.csv) and report verdicts, JUnit, JSON.",
        discussion: """
            Two forms:
              nncert suite LIST [--expected FILE] [--shard K/N] [--json F] [--junit F] [--summary F] [--csv F]
              nncert suite --network NET PROP.vnnlib… [same options]

            LIST has one instance a line: VNN-COMP's instances.csv (NET,PROP[,TIMEOUT]), or the same fields \
            separated by spaces; or a CSV with a header naming the columns onnx (or network), vnnlib (or \
            property), and optionally timeout and expected (sat/unsat). Relative paths are taken from LIST's \
            folder; blank lines and # comments are skipped. A row without a timeout uses --timeout. Every \
            limit is multiplied by --timeout-scale, then capped at --max-timeout.

            Each instance is one check (group: the network, name: the property, as LIST writes them): passed \
            for sat or unsat (matching --expected, VNN-COMP's expected.csv, or LIST's expected column when \
            known), failed for a wrong verdict, a warning (--undecided warn, the default) or undecided \
            (--undecided fail) for timeout or unknown, error when the files do not load (the suite goes on). \
            One line per instance and a summary table go to stdout; a progress bar to stderr on a terminal.

            --shard K/N runs the instances at positions i (from 0) with i mod N = K - 1; merge the shards' \
            --json reports with `nncert report merge` (docs/ci.md, "Sharded suites").

            Exit code: 0 every instance passed or warned, 1 a wrong verdict or an instance that did not load, \
            3 an undecided instance with --undecided fail, 2 bad input (LIST or --expected unreadable or \
            malformed, naming the file and line; a listed file that does not exist).
            """)

    @Argument(help: ArgumentHelp("LIST, or the property files with --network.", valueName: "list | prop"))
    var files: [String]

    @Option(help: ArgumentHelp("Verify the property files given as arguments on this network.", valueName: "net"))
    var network: String?

    @Option(help: ArgumentHelp(
        "Expected verdicts: onnx,vnnlib,expected rows (VNN-COMP's expected.csv); a verdict that contradicts one fails.",
        valueName: "file"))
    var expected: String?

    @Option(help: "What a timeout or unknown makes of an instance: warn (exit 0) or fail (exit 3).")
    var undecided: SuiteOptions.UndecidedPolicy = .warn

    @Option(name: .customLong("timeout-scale"), help: "Multiply every instance's time limit by this (default: 1).")
    var timeoutScale: Double = 1

    @Option(name: .customLong("max-timeout"), help: ArgumentHelp("Cap every instance's time limit.", valueName: "s"))
    var maxTimeout: Double?

    @OptionGroup var shard: ShardArgument

    @OptionGroup(title: "Reports")
    var reports: ReportArguments

    @OptionGroup(title: "Search")
    var search: SearchArguments

    func validate() throws {
        if network == nil, files.count != 1 {
            throw ValidationError("give one instance list, or --network NET with property files")
        }
        if network != nil, files.isEmpty { throw ValidationError("--network needs at least one property file") }
        guard timeoutScale > 0, timeoutScale.isFinite else { throw ValidationError("--timeout-scale must be positive") }
        if let maxTimeout, !(maxTimeout > 0) { throw ValidationError("--max-timeout must be a positive number of seconds") }
    }

    func run() throws {
        let list = try BadInput.reporting {
            try network.map { try InstanceList(network: $0, properties: files) }
                ?? InstanceList(contentsOfFile: files[0])
        }
        let verdicts = try BadInput.reporting { try expected.map(ExpectedVerdicts.init(contentsOfFile:)) }
        var verification = search.options
        try BadInput.reporting { _ = try verification.search.branching.makeHeuristic() }  // a model file is input too
        verification.progress = nil
        let options = SuiteOptions(
            verification: verification, timeoutScale: timeoutScale, maxTimeout: maxTimeout, undecided: undecided,
            shard: try shard.parsed())
        let display = ProgressDisplay.forStandardError()
        var report = SuiteRunner(options: options).run(
            list, expected: verdicts ?? ExpectedVerdicts(),
            describe: { BadInput.message(for: $0, context: $1) },
            progress: display.map { display in { @Sendable progress in display.show(progress) } },
            onCheck: { check in
                display?.clear()
                print(Self.line(check))
                fflush(nil)  // one line per instance as it finishes, also in a pipe
            })
        display?.clear()
        if let expected { report.attributes["expected"] = expected }
        try reports.write(report)
        print("\n" + SuiteSummary(report).table)
        throw ExitStatus.of(report.outcome).exitCode
    }

    /// One instance's line: position, files, verdict (and the expected one), seconds, and any message.
    static func line(_ check: CheckResult) -> String {
        var line = "\(check.index + 1)  \(check.group) \(check.name)  \(check.details["verdict"] ?? "error")"
        if let expected = check.details["expected"] { line += " (expected \(expected))" }
        line += String(format: "  %.2f s", check.seconds)
        if check.status != .passed, let message = check.message { line += "  \(check.status.rawValue): \(message)" }
        return line
    }
}

extension SuiteOptions.UndecidedPolicy: ExpressibleByArgument {}
