public import Foundation

/// The results of one run of `suite`, `gate` or `sweep` (or one shard of it), in the form every report is written
/// from: JSON (``jsonData()``, the format `report merge` reads back), JUnit XML (``junitXML()``), a Markdown
/// summary (``markdown()``) and CSV (``csv()``).
///
/// Everything a report shows is derived from ``checks``, so a merge of shard reports
/// (``merged(_:)``) renders exactly as the unsharded run would, apart from the times.
public struct RunReport: Codable, Sendable, Hashable {
    /// The JSON schema name, checked when a report is read back.
    public static let schema = "nncert-report"
    /// The JSON schema version, checked when a report is read back.
    public static let version = 1

    /// How a whole run ended, which decides the command's exit code.
    public enum Outcome: String, Codable, Sendable {
        /// Every check passed or only warned (exit 0).
        case passed
        /// Some check failed or could not run (exit 1).
        case failed
        /// No check failed, but some check is undecided and its policy says that fails (exit 3).
        case undecided
    }

    /// Always ``schema``.
    public var schema: String
    /// Always ``version``.
    public var version: Int
    /// The command that made the run: `suite`, `gate` or `sweep`.
    public var command: String
    /// A human title, e.g. `gate: net.onnx → net-q8.onnx`.
    public var title: String
    /// The shard this report covers, or `nil` for a whole run (also after a merge).
    public var shard: Shard?
    /// The number of checks of the whole (unsharded) run.
    public var totalChecks: Int
    /// The checks this report covers, in index order.
    public var checks: [CheckResult]
    /// Wall-clock seconds of the run (after a merge: the longest shard's).
    public var seconds: Double
    /// The detail keys shown as table columns in the Markdown and CSV renderings, in order.
    public var columns: [String]
    /// Facts about the run as a whole, e.g. the policy file, the networks.
    public var attributes: [String: String]

    /// A report of `checks` (sorted by index).
    public init(
        command: String, title: String, shard: Shard? = nil, totalChecks: Int, checks: [CheckResult], seconds: Double,
        columns: [String] = [], attributes: [String: String] = [:]
    ) {
        schema = Self.schema
        version = Self.version
        self.command = command
        self.title = title
        self.shard = shard
        self.totalChecks = totalChecks
        self.checks = checks.sorted { $0.index < $1.index }
        self.seconds = seconds
        self.columns = columns
        self.attributes = attributes
    }

    /// The run's outcome: failed if any check failed or errored, else undecided if any check is undecided, else
    /// passed (warnings and skipped checks pass).
    public var outcome: Outcome {
        if checks.contains(where: { $0.status == .failed || $0.status == .error }) { return .failed }
        if checks.contains(where: { $0.status == .undecided }) { return .undecided }
        return .passed
    }

    /// How many checks ended with each status (statuses with none left out).
    public var statusCounts: [(status: CheckResult.Status, count: Int)] {
        CheckResult.Status.allCases.compactMap { status in
            let n = checks.count { $0.status == status }
            return n == 0 ? nil : (status, n)
        }
    }

    /// How many checks carry each value of the detail `key` (e.g. `verdict`), most frequent first, ties by value.
    public func tally(of key: String) -> [(value: String, count: Int)] {
        var counts: [String: Int] = [:]
        for check in checks { if let v = check.details[key] { counts[v, default: 0] += 1 } }
        return counts.map { (value: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value
        }
    }

    // MARK: JSON

    /// The encoder of nncert's JSON output — every report and every command's `--json`: pretty-printed, keys
    /// sorted, non-finite numbers as the strings `inf`, `-inf`, `nan`.
    public static func makeJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The report as JSON (``makeJSONEncoder()``).
    public func jsonData() throws -> Data { try Self.makeJSONEncoder().encode(self) }

    /// Reads a report written by ``jsonData()``.
    /// - Throws: ``ReportError/unreadable(reason:)`` for invalid JSON, another schema or an unknown version.
    public init(jsonData data: Data) throws(ReportError) {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let report: RunReport
        do {
            report = try decoder.decode(RunReport.self, from: data)
        } catch {
            throw .unreadable(reason: Self.describe(error))
        }
        guard report.schema == Self.schema else {
            throw .unreadable(reason: "schema '\(report.schema)', expected '\(Self.schema)'")
        }
        guard report.version == Self.version else {
            throw .unreadable(reason: "version \(report.version), this nncert reads version \(Self.version)")
        }
        self = report
    }

    /// A decoding error in one line: what is wrong and where (the JSON key path).
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at " + keys.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c): return "invalid JSON" + path(c)
        case .keyNotFound(let key, let c): return "missing '\(key.stringValue)'" + path(c)
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return c.debugDescription + path(c)
        @unknown default: return "invalid JSON"
        }
    }
}
