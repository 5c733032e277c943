import Foundation

extension RunReport {
    /// The report as JUnit XML, the format CI systems (GitHub Actions test reporters, GitLab's `junit` artifact,
    /// Jenkins) read: one `<testsuite>` per group in order of first appearance, one `<testcase>` per check.
    ///
    /// A failed check carries a `<failure type="failed">`, an undecided one a `<failure type="undecided">`, a check
    /// that could not run an `<error>`, a skipped one `<skipped>`; a warning passes and says so in `<system-out>`,
    /// beside the check's details (`key: value` lines).
    public func junitXML() -> String {
        var groups: [(name: String, checks: [CheckResult])] = []
        for check in checks {
            if let i = groups.firstIndex(where: { $0.name == check.group }) {
                groups[i].checks.append(check)
            } else {
                groups.append((check.group, [check]))
            }
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(Self.escaped(title))\"" + Self.counts(checks) + " time=\"\(Self.time(seconds))\">\n"
        for group in groups {
            let time = group.checks.reduce(0) { $0 + $1.seconds }
            xml += "  <testsuite name=\"\(Self.escaped(group.name))\"" + Self.counts(group.checks)
                + " time=\"\(Self.time(time))\">\n"
            for check in group.checks { xml += Self.testCase(check) }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// ` tests=… failures=… errors=… skipped=…` for `checks` (undecided checks count as failures).
    private static func counts(_ checks: [CheckResult]) -> String {
        let failures = checks.count { $0.status == .failed || $0.status == .undecided }
        let errors = checks.count { $0.status == .error }
        let skipped = checks.count { $0.status == .skipped }
        return " tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
    }

    private static func testCase(_ check: CheckResult) -> String {
        var xml = "    <testcase classname=\"\(escaped(check.group))\" name=\"\(escaped(check.name))\""
            + " time=\"\(time(check.seconds))\">\n"
        let message = escaped(check.message ?? check.status.rawValue)
        switch check.status {
        case .failed: xml += "      <failure type=\"failed\" message=\"\(message)\"/>\n"
        case .undecided: xml += "      <failure type=\"undecided\" message=\"\(message)\"/>\n"
        case .error: xml += "      <error type=\"error\" message=\"\(message)\"/>\n"
        case .skipped: xml += "      <skipped message=\"\(message)\"/>\n"
        case .passed, .warning: break
        }
        var output = check.details.keys.sorted().map { "\($0): \(check.details[$0]!)" }
        if check.status == .warning { output.insert("warning: " + (check.message ?? "undecided"), at: 0) }
        if !output.isEmpty {
            xml += "      <system-out>" + escaped(output.joined(separator: "\n")) + "</system-out>\n"
        }
        return xml + "    </testcase>\n"
    }

    /// Seconds with millisecond precision, as JUnit readers expect.
    static func time(_ seconds: Double) -> String {
        String(format: "%.3f", seconds.isFinite ? max(0, seconds) : 0)
    }

    /// `text` with XML's five special characters escaped and control characters other than tab and newline
    /// dropped (XML 1.0 cannot carry them).
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
