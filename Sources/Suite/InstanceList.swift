import Foundation

/// The instances of a suite, in the order they run (a check's index is its position here).
///
/// Read from a file in one of two forms, chosen per file by its first line:
/// - without a header, VNN-COMP's `instances.csv`: rows `NET,PROP[,TIMEOUT]`, or the same fields separated by
///   spaces (`NET PROP [TIMEOUT]`, a plain list);
/// - with a header whose first column is `onnx` or `network`: the columns `onnx`/`network`, `vnnlib`/`property`,
///   and optionally `timeout` and `expected` (`sat`/`unsat`), in any order; other columns are ignored — so a
///   regression table such as `properties/regression.csv` is an instance list with its verdicts.
///
/// Relative paths are taken from the list's folder; blank lines and `#` comments are skipped.
public struct InstanceList: Sendable, Hashable {
    /// What the list was read from (its path, or a description of the command line).
    public var source: String
    /// The instances in order.
    public var instances: [SuiteInstance]

    /// A list of given instances.
    public init(source: String, instances: [SuiteInstance]) {
        self.source = source
        self.instances = instances
    }

    /// Reads the list at `path`.
    /// - Throws: ``SuiteError`` naming the file and line: unreadable file, a row with too few or too many fields,
    ///   a timeout that is not a positive number, an unknown expected verdict, a network or property file that
    ///   does not exist, or no instance at all.
    public init(contentsOfFile path: String) throws(SuiteError) {
        try self.init(ListFile(path: path))
    }

    /// Parses `text` as the list at `path` (relative names are taken from `path`'s folder).
    public init(text: String, path: String) throws(SuiteError) {
        try self.init(ListFile(text: text, path: path))
    }

    /// One network and property files given on the command line, each with the default time limit.
    /// - Throws: ``SuiteError/unreadable(file:reason:)`` for a file that does not exist.
    public init(network: String, properties: [String]) throws(SuiteError) {
        source = "command line"
        instances = []
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for path in [network] + properties where !FileManager.default.fileExists(atPath: path) {
            throw .unreadable(file: path, reason: "No such file or directory")
        }
        for property in properties {
            instances.append(SuiteInstance(
                networkName: network, propertyName: property, network: ListFile.resolve(network, from: here),
                property: ListFile.resolve(property, from: here), source: "command line"))
        }
    }

    private init(_ file: ListFile) throws(SuiteError) {
        source = file.path
        let layout = try Layout(file)
        instances = []
        for row in file.rows { instances.append(try layout.instance(row, of: file)) }
        if instances.isEmpty { throw .empty(file: file.path) }
    }

    /// Where each field is: by the header's names, or by position.
    private struct Layout {
        var network = 0
        var property = 1
        var timeout: Int? = 2
        var expected: Int?
        /// Fields a row must have, and may have.
        var required = 2
        var allowed = 3

        init(_ file: ListFile) throws(SuiteError) {
            guard let header = file.header else { return }
            network = try file.requiredColumn(["onnx", "network"])
            property = try file.requiredColumn(["vnnlib", "property"])
            timeout = file.column(["timeout"])
            expected = file.column(["expected"])
            required = max(network, property) + 1
            allowed = header.count
        }

        func instance(_ row: ListFile.Row, of file: ListFile) throws(SuiteError) -> SuiteInstance {
            let fields = row.fields
            guard (required...allowed).contains(fields.count) else {
                let shape = file.header == nil ? "NET,PROP[,TIMEOUT]" : "the header's \(allowed) columns"
                throw file.problem(row, "expected \(shape), found \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            let network = fields[self.network], property = fields[self.property]
            for (what, name) in [("network", network), ("property", property)] {
                if name.isEmpty { throw file.problem(row, "the \(what) file is empty") }
                let path = file.resolve(name)
                if !FileManager.default.fileExists(atPath: path) {
                    throw file.problem(row, "\(what) file '\(name)' does not exist (\(path))")
                }
            }
            return SuiteInstance(
                networkName: network, propertyName: property, network: file.resolve(network),
                property: file.resolve(property), timeout: try timeoutValue(row, file),
                expected: try expectedValue(row, file), source: "\(file.path):\(row.line)")
        }

        private func timeoutValue(_ row: ListFile.Row, _ file: ListFile) throws(SuiteError) -> Double? {
            guard let timeout, timeout < row.fields.count, !row.fields[timeout].isEmpty else { return nil }
            let text = row.fields[timeout]
            guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
                throw file.problem(row, "timeout '\(text)' is not a positive number of seconds")
            }
            return seconds
        }

        private func expectedValue(_ row: ListFile.Row, _ file: ListFile) throws(SuiteError) -> SuiteVerdict? {
            guard let expected, expected < row.fields.count else { return nil }
            return try ExpectedVerdicts.verdict(row.fields[expected], row: row, of: file)
        }
    }
}
