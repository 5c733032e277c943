import Foundation

extension RunReport {
    /// The checks as CSV (RFC 4180 quoting): `index,group,name,status,seconds,message`, then one column per
    /// detail key — the report's ``columns`` first, then every other key in sorted order.
    public func csv() -> String {
        let extra = Set(checks.flatMap(\.details.keys)).subtracting(columns).sorted()
        let keys = columns + extra
        var lines = [(["index", "group", "name", "status", "seconds", "message"] + keys).map(Self.field)
            .joined(separator: ",")]
        for check in checks {
            let cells = ["\(check.index)", check.group, check.name, check.status.rawValue,
                         String(format: "%.3f", check.seconds), check.message ?? ""]
                + keys.map { check.details[$0] ?? "" }
            lines.append(cells.map(Self.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
