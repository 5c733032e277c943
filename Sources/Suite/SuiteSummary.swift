public import Reporting
import Foundation

/// The counts of a suite's report, as `nncert suite` prints them: decided (`sat` + `unsat` − wrong), `sat`,
/// `unsat`, `timeout`, `unknown`, errors (instances that did not load) and wrong verdicts.
public struct SuiteSummary: Sendable, Hashable {
    /// Instances in the report.
    public var instances: Int
    /// Instances with each verdict.
    public var sat = 0, unsat = 0, timeout = 0, unknown = 0
    /// Instances that could not run.
    public var errors = 0
    /// Instances whose `sat`/`unsat` contradicts the expected verdict.
    public var wrong = 0
    /// The run's wall-clock seconds.
    public var seconds: Double

    /// The counts of `report`.
    public init(_ report: RunReport) {
        instances = report.checks.count
        seconds = report.seconds
        for check in report.checks {
            switch check.details["verdict"].flatMap(SuiteVerdict.init(rawValue:)) {
            case .sat: sat += 1
            case .unsat: unsat += 1
            case .timeout: timeout += 1
            case .unknown: unknown += 1
            case nil: break
            }
            if check.status == .error { errors += 1 }
            if check.status == .failed { wrong += 1 }
        }
    }

    /// Correct verdicts: `sat` and `unsat` that do not contradict an expected verdict.
    public var decided: Int { sat + unsat - wrong }

    /// A two-line table: the column names, then the counts.
    public var table: String {
        let columns: [(String, String)] = [
            ("instances", "\(instances)"), ("decided", "\(decided)"), ("sat", "\(sat)"), ("unsat", "\(unsat)"),
            ("timeout", "\(timeout)"), ("unknown", "\(unknown)"), ("error", "\(errors)"), ("wrong", "\(wrong)"),
            ("seconds", String(format: "%.1f", seconds)),
        ]
        let widths = columns.map { max($0.0.count, $0.1.count) }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return line(columns.map(\.0)) + "\n" + line(columns.map(\.1))
    }
}
