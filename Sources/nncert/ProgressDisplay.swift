import Comparison
import Foundation
import Suite
import Gate
import Verifier

/// A one-line progress display on stderr, shown only when stderr is a terminal.
final class ProgressDisplay: Sendable {
    /// A display when stderr is a terminal, else nil (quiet in pipes, logs and CI).
    static func forStandardError() -> ProgressDisplay? {
        isatty(2) != 0 ? ProgressDisplay() : nil
    }

    func show(_ p: VerificationProgress) {
        let second = p.secondSearchNodes > 0 ? " (second search \(p.secondSearchNodes))" : ""
        let line = "\r\u{1B}[2Knodes \(p.nodes)\(second)"
            + String(format: "  frontier %d  worst margin %.4g  closed %.1f%%  %.1f s", p.frontier, p.worstMargin,
                     VerificationStatistics.percent(p.closedShare, decimals: 1), p.elapsed)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func show(_ p: ComparisonProgress) {
        let line = "\r\u{1B}[2K[\(p.done + 1)/\(p.total)] \(p.stage)" + (p.property.map { " (\($0))" } ?? "")
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// A bar for a run of checks: `[#####·····] 3/10 label`.
    func showBar(done: Int, total: Int, label: String) {
        let width = 20
        let filled = total == 0 ? width : min(width, width * done / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K[\(bar)] \(done)/\(total) \(label)".utf8))
    }

    /// `[#####·····] 3/10 NET PROP  nodes N  S s`: the suite's bar, the running instance and its search.
    func show(_ p: SuiteProgress) {
        var label = p.instance
        if let search = p.search { label += String(format: "  nodes %d  %.1f s", search.nodes, search.elapsed) }
        showBar(done: p.completed, total: p.total, label: label)
    }

    /// The gate's bar: `[#####·····] 3/10 GROUP CHECK`.
    func show(_ p: GateProgress) {
        showBar(done: p.done, total: p.total, label: "\(p.check.group) \(p.check.name)")
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
