import Foundation

extension RunReport {
    /// A Markdown summary fit for a CI job summary (`$GITHUB_STEP_SUMMARY`, a merge-request note): the outcome,
    /// the counts by status (and by verdict when the checks carry one), and one table row per check with the
    /// report's ``columns``.
    public func markdown() -> String {
        var lines = ["## \(title)", ""]
        let outcomeWord: String = switch outcome {
        case .passed: "**passed**"
        case .failed: "**failed**"
        case .undecided: "**undecided**"
        }
        var counts = statusCounts.map { "\($0.count) \($0.status.rawValue)" }.joined(separator: ", ")
        if counts.isEmpty { counts = "no checks" }
        lines.append("\(outcomeWord): \(counts) of \(checks.count) checks in \(Self.duration(seconds)).")
        let verdicts = tally(of: "verdict")
        if !verdicts.isEmpty {
            lines.append("")
            lines.append("Verdicts: " + verdicts.map { "\($0.count) \($0.value)" }.joined(separator: ", ") + ".")
        }
        if !attributes.isEmpty {
            lines.append("")
            for key in attributes.keys.sorted() { lines.append("- \(key): `\(attributes[key]!)`") }
        }
        lines.append("")
        lines.append(Self.row(["group", "check", "status"] + columns + ["seconds", "message"]))
        lines.append(Self.row(Array(repeating: "---", count: columns.count + 5)))
        for check in checks {
            let cells = [check.group, check.name, Self.statusCell(check.status)]
                + columns.map { check.details[$0] ?? "" } + [String(format: "%.1f", check.seconds), check.message ?? ""]
            lines.append(Self.row(cells))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func statusCell(_ status: CheckResult.Status) -> String {
        switch status {
        case .passed: "pass"
        case .failed: "**FAIL**"
        case .undecided: "**undecided**"
        case .warning: "warn"
        case .error: "**error**"
        case .skipped: "skipped"
        }
    }

    /// One table row; `|` and newlines inside cells are escaped so a message cannot break the table.
    private static func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
            .joined(separator: " | ") + " |"
    }

    private static func duration(_ seconds: Double) -> String {
        seconds < 120 ? String(format: "%.1f s", seconds) : String(format: "%.1f min", seconds / 60)
    }
}
