public import VNNLib

/// Why a gate could not run: the command line turns each into one line on stderr and exit code 2.
public enum GateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The policy file cannot be read or is not YAML/JSON (`line`/`column` from the parser when known).
    case unreadable(file: String, line: Int?, column: Int?, reason: String)
    /// A policy entry is invalid: an unknown key, a wrong type, a value out of range, a missing file.
    /// `keyPath` is written as in the file, e.g. `difference.max` or `properties[1].path`.
    case invalid(file: String, line: Int?, column: Int?, keyPath: String, problem: String)
    /// A property file of the policy is not valid VNN-LIB.
    case property(VNNLibError)
    /// The networks, or a property and the networks, do not fit together.
    case mismatch(String)

    /// `policy.yaml:7:8: difference.max: must be a positive number`.
    public var description: String {
        switch self {
        case let .unreadable(file, line, column, reason):
            "\(file)\(Self.place(line, column)): \(reason)"
        case let .invalid(file, line, column, keyPath, problem):
            "\(file)\(Self.place(line, column)): \(keyPath.isEmpty ? "" : keyPath + ": ")\(problem)"
        case let .property(error): error.description
        case let .mismatch(reason): reason
        }
    }

    private static func place(_ line: Int?, _ column: Int?) -> String {
        guard let line else { return "" }
        return ":\(line)" + (column.map { ":\($0)" } ?? "")
    }
}
