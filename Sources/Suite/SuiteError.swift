/// Why an instance list or an expected-verdicts file cannot be used (the command's bad input, exit 2).
///
/// Every case names the file, and the line when the problem is on one (`FILE:LINE: problem`).
public enum SuiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file cannot be read; the system's reason (`No such file or directory`, …).
    case unreadable(file: String, reason: String)
    /// A line that is not a valid row: wrong field count, a bad timeout or verdict, a file that does not exist.
    case invalidLine(file: String, line: Int, problem: String)
    /// A file with a header that lacks a column it needs.
    case missingColumn(file: String, column: String, header: [String])
    /// A list without a single instance.
    case empty(file: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): \(reason)"
        case .invalidLine(let file, let line, let problem): "\(file):\(line): \(problem)"
        case .missingColumn(let file, let column, let header):
            "\(file):1: the header has no '\(column)' column (columns: \(header.joined(separator: ", ")))"
        case .empty(let file): "\(file): no instances (every line is blank or a # comment)"
        }
    }
}
