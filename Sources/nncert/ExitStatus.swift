import ArgumentParser

/// nncert's exit codes, in one place (README.md, "Exit codes").
enum ExitStatus: Int32, CaseIterable {
    /// The command did its job. For `verify`, a verdict word was printed: `sat`, `unsat`, `timeout` and `unknown`
    /// all exit 0 (the verdict is the first line of the output, not the code).
    case success = 0
    /// An unexpected failure that is not the input's fault.
    case failure = 1
    /// Bad input: a file that cannot be read, parsed or is not supported; one line on stderr names the file, the
    /// place and the problem.
    case badInput = 2
    /// A usage error: an unknown option or an invalid value (swift-argument-parser's `validationFailure`).
    case usage = 64

    /// The code to throw from a command.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
