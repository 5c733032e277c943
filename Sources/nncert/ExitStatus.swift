import ArgumentParser
import Reporting

/// nncert's exit codes, in one place (README.md, "Exit codes").
enum ExitStatus: Int32, CaseIterable {
    /// The command did its job. For `verify`, a verdict word was printed: `sat`, `unsat`, `timeout` and `unknown`
    /// all exit 0 (the verdict is the first line of the output, not the code).
    case success = 0
    /// An unexpected failure that is not the input's fault; for `gate`, `suite`, `sweep` and `report merge`: a
    /// check failed (a guarantee lost, a wrong verdict).
    case failure = 1
    /// Bad input: a file that cannot be read, parsed or is not supported; one line on stderr names the file, the
    /// place and the problem.
    case badInput = 2
    /// `gate`, `suite`, `sweep`, `report merge`: no check failed, but a check is undecided within its budget and
    /// the policy says an undecided check fails.
    case undecided = 3
    /// A usage error: an unknown option or an invalid value (swift-argument-parser's `validationFailure`).
    case usage = 64

    /// The exit status of a run of checks.
    static func of(_ outcome: RunReport.Outcome) -> ExitStatus {
        switch outcome {
        case .passed: .success
        case .failed: .failure
        case .undecided: .undecided
        }
    }

    /// The code to throw from a command.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
