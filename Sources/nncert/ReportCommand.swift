import ArgumentParser
import Foundation
import Reporting
import Tensor

/// `nncert report merge SHARD.json…`: the reports of a sharded run as one.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Work with the JSON reports of suite, gate and sweep.",
        subcommands: [MergeCommand.self])

    struct MergeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge the JSON reports of the shards of one run into the report of the whole run.",
            discussion: """
                The merged JSON, JUnit XML, Markdown and CSV equal those of an unsharded run (apart from the \
                times). Exit code: 0 when the merged run passed, 1 when a check failed, 3 when a check is \
                undecided and its policy says that fails, 2 for bad input (an unreadable report, shards of \
                different runs, a shard missing or given twice).
                """)

        @Argument(help: ArgumentHelp("The shards' JSON reports (--json of each shard).", valueName: "shard.json"))
        var reports: [String]

        @OptionGroup var outputs: ReportArguments

        func run() throws {
            let shards = try reports.map { path in
                try BadInput.reporting(context: path) { try RunReport(jsonData: try FileContents.read(atPath: path)) }
            }
            let merged = try BadInput.reporting(context: reports.joined(separator: ", ")) {
                try RunReport.merged(shards)
            }
            try outputs.write(merged)
            print(merged.markdown(), terminator: "")
            throw ExitStatus.of(merged.outcome).exitCode
        }
    }
}
