import Comparison
import Foundation
import LipschitzSDP
import VNNLib
import Verifier

/// A comparison as the command line shows it: a summary table, a Markdown report, or JSON.
struct ComparisonReport: Encodable {
    struct Difference: Encodable {
        var caseIndex: Int
        var method: String
        var certified: [Double]
        var attacked: [Double]
        var productNetwork: [Double]?
    }
    struct Decision: Encodable {
        var caseIndex: Int
        var outcome: String
        var input: [Double]?
        var originalClass: Int?
        var compressedClass: Int?
        var reason: String?
    }
    struct Property: Encodable {
        var name: String
        var outcome: String
        var original: VerificationReport
        var compressed: VerificationReport
        var differences: [Difference]
        var decisions: [Decision]
    }
    struct Lipschitz: Encodable {
        var method: String
        var original: Double?
        var compressed: Double?
        var ratio: Double?
        var failures: [String]
    }
    var original: String
    var compressed: String
    var properties: [Property]
    var lipschitz: Lipschitz?
    var counts: [String: Int]

    init(_ c: NetworkComparison, original: String, compressed: String, specifications: [Specification],
         lipschitzMethod: LipschitzMethod?) {
        self.original = original
        self.compressed = compressed
        properties = zip(c.properties, specifications).map { Self.property($0, $1) }
        counts = Dictionary(uniqueKeysWithValues: Preservation.allCases.map { ($0.rawValue, c.counts[$0] ?? 0) })
        if let l = c.lipschitz, let lipschitzMethod { lipschitz = Self.lipschitz(l, method: lipschitzMethod) }
    }

    private static func property(_ p: PropertyComparison, _ spec: Specification) -> Property {
        Property(
            name: p.name, outcome: p.preservation.rawValue,
            original: VerificationReport(result: p.original, specification: spec),
            compressed: VerificationReport(result: p.compressed, specification: spec),
            differences: p.differences.map {
                Difference(caseIndex: $0.caseIndex, method: $0.method.rawValue, certified: $0.certified,
                           attacked: $0.attacked, productNetwork: $0.productNetwork)
            },
            decisions: p.decisions.enumerated().map { k, d in decision(d, caseIndex: k) })
    }

    private static func decision(_ d: DecisionEquivalence, caseIndex: Int) -> Decision {
        switch d {
        case .proved: Decision(caseIndex: caseIndex, outcome: "proved")
        case let .refuted(input, a, b):
            Decision(caseIndex: caseIndex, outcome: "refuted", input: input, originalClass: a, compressedClass: b)
        case let .undecided(reason): Decision(caseIndex: caseIndex, outcome: "undecided", reason: reason)
        }
    }

    private static func lipschitz(_ l: LipschitzComparison, method: LipschitzMethod) -> Lipschitz {
        var failures: [String] = []
        func bound(_ r: Result<LipschitzResult, LipschitzFailure>, _ name: String) -> Double? {
            switch r {
            case .success(let b): return b.bound
            case .failure(let e): failures.append("\(name): \(e.reason)"); return nil
            }
        }
        let a = bound(l.original, "original"), b = bound(l.compressed, "compressed")
        return Lipschitz(method: method.rawValue, original: a, compressed: b, ratio: l.ratio, failures: failures)
    }
}

extension ComparisonReport {
    /// The summary table, then Lipschitz, then each lost property's counterexample.
    var text: String {
        var lines = ["original: \(original)", "compressed: \(compressed)", ""]
        lines += table(separator: "  ", header: true, markdown: false)
        lines.append("")
        lines.append(summaryLine)
        if let l = lipschitzLine { lines.append(l) }
        for p in properties where p.outcome == Preservation.lost.rawValue {
            lines.append("\(p.name) lost; counterexample on the compressed network:\n" + p.compressed.witnessText)
        }
        return lines.joined(separator: "\n")
    }

    /// The same content as Markdown.
    var markdown: String {
        var lines = ["# nncert compare", "", "- original: `\(original)`", "- compressed: `\(compressed)`", ""]
        lines += table(separator: " | ", header: true, markdown: true)
        lines += ["", "- " + summaryLine]
        if let l = lipschitzLine { lines.append("- " + l) }
        for p in properties where p.outcome == Preservation.lost.rawValue {
            lines += ["", "## \(p.name): lost", "", "Counterexample on the compressed network:", "", "```",
                      p.compressed.witnessText, "```"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var summaryLine: String {
        Preservation.allCases.map { "\(counts[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
    }

    private var lipschitzLine: String? {
        guard let l = lipschitz else { return nil }
        let a = l.original.map { String(format: "%.6g", $0) } ?? "n/a", b = l.compressed.map { String(format: "%.6g", $0) } ?? "n/a"
        let ratio = l.ratio.map { String(format: " (ratio %.4f)", $0) } ?? ""
        let why = l.failures.isEmpty ? "" : "; " + l.failures.joined(separator: "; ")
        return "Lipschitz (\(l.method), certified l2): original \(a), compressed \(b)\(ratio)\(why)"
    }

    private func table(separator: String, header: Bool, markdown: Bool) -> [String] {
        let head = ["property", "original", "compressed", "outcome", "max|g-f| <=", "attacked >=", "decision"]
        var rows = properties.map { p -> [String] in
            let certified = p.differences.flatMap(\.certified).max(), attacked = p.differences.flatMap(\.attacked).max()
            let decisions = Set(p.decisions.map(\.outcome))
            let decision = decisions.isEmpty ? "-" : decisions.count == 1 ? decisions.first! : decisions.sorted().joined(separator: "/")
            return [p.name, p.original.verdict, p.compressed.verdict, p.outcome,
                    certified.map { String(format: "%.4g", $0) } ?? "-", attacked.map { String(format: "%.4g", $0) } ?? "-",
                    decision]
        }
        rows.insert(head, at: 0)
        if markdown {
            rows.insert(head.map { _ in "---" }, at: 1)
            return rows.map { "| " + $0.joined(separator: separator) + " |" }
        }
        let widths = head.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: separator).trimmingCharacters(in: .whitespaces)
        }
    }
}
