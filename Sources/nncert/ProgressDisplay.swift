import Comparison
import Foundation
import Gate
import Verifier

/// A one-line progress display on stderr, shown only when stderr is a terminal.
final class ProgressDisplay: Sendable {
    /// A display when stderr is a terminal, else nil (quiet in pipes, logs and CI).
    static func forStandardError() -> ProgressDisplay? {
        isatty(2) != 0 ? ProgressDisplay() : nil
    }

    func show(_ p: VerificationProgress) {
        let line = String(format: "\r\u{1B}[2Knodes %d  frontier %d  worst margin %.4g  %.1f s", p.nodes, p.frontier,
                          p.worstMargin, p.elapsed)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func show(_ p: ComparisonProgress) {
        let line = "\r\u{1B}[2K[\(p.done + 1)/\(p.total)] \(p.stage)" + (p.property.map { " (\($0))" } ?? "")
        FileHandle.standardError.write(Data(line.utf8))
    }

    func show(_ p: GateProgress) {
        let line = "\r\u{1B}[2K[\(p.done + 1)/\(p.total)] \(p.check.group) \(p.check.name)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
