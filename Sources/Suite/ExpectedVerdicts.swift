import Foundation

/// The verdicts a suite's instances should get, e.g. a VNN-COMP benchmark's `expected.csv`.
///
/// The file has rows `onnx,vnnlib,expected` (a header naming the columns `onnx`/`network`, `vnnlib`/`property`
/// and `expected` may put them in any order). Paths are taken from the file's folder, so an instance matches a row
/// when both name the same files, whatever folder each list was written from. `sat` and `unsat` are expectations;
/// an empty cell, `?` and `unknown` mean none.
public struct ExpectedVerdicts: Sendable, Hashable {
    /// The expected verdict of each instance, by resolved paths.
    public var verdicts: [InstanceKey: SuiteVerdict]

    /// Given verdicts (none by default).
    public init(_ verdicts: [InstanceKey: SuiteVerdict] = [:]) { self.verdicts = verdicts }

    /// Reads an expected-verdicts file.
    /// - Throws: ``SuiteError`` naming the file and line: unreadable file, a missing column, a row with too few
    ///   fields, a verdict other than `sat`, `unsat`, `unknown`, `?` or empty.
    public init(contentsOfFile path: String) throws(SuiteError) {
        try self.init(ListFile(path: path))
    }

    /// Parses `text` as the expected-verdicts file at `path`.
    public init(text: String, path: String) throws(SuiteError) {
        try self.init(ListFile(text: text, path: path))
    }

    private init(_ file: ListFile) throws(SuiteError) {
        let network = file.header == nil ? 0 : try file.requiredColumn(["onnx", "network"])
        let property = file.header == nil ? 1 : try file.requiredColumn(["vnnlib", "property"])
        let expected = file.header == nil ? 2 : try file.requiredColumn(["expected"])
        let needed = max(network, property, expected) + 1
        verdicts = [:]
        for row in file.rows {
            guard row.fields.count >= needed else {
                throw file.problem(row, "expected at least \(needed) fields (onnx, vnnlib, expected), found \(row.fields.count)")
            }
            let key = InstanceKey(network: file.resolve(row.fields[network]), property: file.resolve(row.fields[property]))
            verdicts[key] = try Self.verdict(row.fields[expected], row: row, of: file)
        }
    }

    /// The expected verdict of `instance`: this file's, else the instance list's own `expected` column.
    public func verdict(for instance: SuiteInstance) -> SuiteVerdict? {
        verdicts[instance.key] ?? instance.expected
    }

    /// An expected-verdict cell: `sat`/`unsat`, or nil for no expectation.
    static func verdict(_ text: String, row: ListFile.Row, of file: ListFile) throws(SuiteError) -> SuiteVerdict? {
        switch text.lowercased() {
        case "sat": return .sat
        case "unsat": return .unsat
        case "", "?", "unknown": return nil
        default: throw file.problem(row, "expected verdict '\(text)' is not sat, unsat or unknown")
        }
    }
}
