import Reporting

/// What one check established, before it gets its place and time in a ``Reporting/CheckResult``.
struct CheckOutcome: Sendable {
    var status: CheckResult.Status
    var message: String?
    var details: [String: String] = [:]
}

extension Gate {
    func passed(_ message: String, _ details: [String: String] = [:]) -> CheckOutcome {
        CheckOutcome(status: .passed, message: message, details: details)
    }

    func failed(_ message: String, _ details: [String: String] = [:]) -> CheckOutcome {
        CheckOutcome(status: .failed, message: message, details: details)
    }

    /// `undecided` or `warning`, as the policy says.
    func undecided(_ message: String, _ details: [String: String] = [:]) -> CheckOutcome {
        CheckOutcome(status: policy.undecided == .fail ? .undecided : .warning, message: message, details: details)
    }
}
