import Foundation
import Tensor

/// A text file of rows, as instance lists and expected-verdict files are written: comma-separated (CSV, no
/// quoting) or whitespace-separated fields, one row a line; blank lines and `#` comments skipped; an optional
/// header whose first field is `onnx` or `network`.
struct ListFile {
    /// One data row and the (1-based) line it came from.
    struct Row {
        var line: Int
        var fields: [String]
    }

    /// The path as given.
    var path: String
    /// The column names of the header (lowercased), or nil for a file without one.
    var header: [String]?
    /// The data rows in file order.
    var rows: [Row]

    /// The names a header's first column may have.
    static let headerNames: Set<String> = ["onnx", "network"]

    /// Reads and splits `path`.
    /// - Throws: ``SuiteError/unreadable(file:reason:)`` when the file cannot be read.
    init(path: String) throws(SuiteError) {
        let data: Data
        do {
            data = try FileContents.read(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Splits `text`, read from `path`.
    init(text: String, path: String) {
        self.path = path
        header = nil
        rows = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = Self.fields(of: line)
            if rows.isEmpty, header == nil, let first = fields.first, Self.headerNames.contains(first.lowercased()) {
                header = fields.map { $0.lowercased() }
            } else {
                rows.append(Row(line: offset + 1, fields: fields))
            }
        }
    }

    /// A line's fields: split at commas when it has one, else at runs of whitespace; each trimmed.
    static func fields(of line: String) -> [String] {
        if line.contains(",") {
            return line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// The position of the first header column named one of `names`, or nil (also without a header).
    func column(_ names: [String]) -> Int? {
        header?.firstIndex(where: names.contains)
    }

    /// The position of a column the file must have, named `names[0]` in the message.
    func requiredColumn(_ names: [String]) throws(SuiteError) -> Int {
        guard let column = column(names) else {
            throw .missingColumn(file: path, column: names.joined(separator: "' or '"), header: header ?? [])
        }
        return column
    }

    /// `relative` as a path: absolute paths stay, relative ones are taken from this file's folder (VNN-COMP's
    /// convention for `instances.csv`).
    func resolve(_ relative: String) -> String {
        Self.resolve(relative, from: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    /// `relative` resolved against `folder`, standardised (no `.` or `..`), so one file has one key.
    static func resolve(_ relative: String, from folder: URL) -> String {
        URL(fileURLWithPath: relative, relativeTo: folder).standardizedFileURL.path
    }

    /// An error on `row`'s line.
    func problem(_ row: Row, _ text: String) -> SuiteError {
        .invalidLine(file: path, line: row.line, problem: text)
    }
}
