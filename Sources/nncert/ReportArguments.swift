import ArgumentParser
import Foundation
import Reporting
import Tensor

/// The report options shared by `suite`, `gate` and `sweep` (and the outputs of `report merge`).
struct ReportArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Write the results as JSON (what `nncert report merge` reads).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write the results as JUnit XML (one test case per check).", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY).", valueName: "file"))
    var summary: String?

    @Option(help: ArgumentHelp("Write the results as CSV.", valueName: "file"))
    var csv: String?

    /// Writes every requested rendering of `report`; a file that cannot be written is bad input (exit 2).
    func write(_ report: RunReport) throws {
        let outputs: [(path: String?, render: () throws -> Data)] = [
            (json, { try report.jsonData() + Data("\n".utf8) }),
            (junit, { Data(report.junitXML().utf8) }),
            (summary, { Data(report.markdown().utf8) }),
            (csv, { Data(report.csv().utf8) }),
        ]
        for output in outputs {
            guard let path = output.path else { continue }
            let data = try output.render()
            try BadInput.reporting(context: path) {
                do { try data.write(to: URL(fileURLWithPath: path)) } catch {
                    throw CLIInputError(file: path, problem: FileContents.reason(for: error))
                }
            }
        }
    }
}

/// `--shard K/N`: run only the checks of shard K of N (checks i with i mod N = K − 1).
struct ShardArgument: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Run only shard K of N (a deterministic split of the checks; merge with `nncert report merge`).",
        valueName: "K/N"))
    var shard: String?

    /// The parsed shard, or nil for a whole run.
    func parsed() throws -> Shard? {
        guard let shard else { return nil }
        do {
            return try Shard(parsing: shard)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
