import Foundation

extension SweepResult {
    /// A self-contained HTML page: the table of levels (Pareto-best levels starred, the recommended one marked)
    /// and four SVG plots against the swept value — properties proven and lost, the certified Lipschitz bound
    /// (the original's dashed), the certified and attacked `max |g − f|`, and the sampled decision agreement.
    public func html(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGPlot.escaped(title))</title>
        <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}\
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}\
        td:first-child{text-align:left}.plots{display:flex;flex-wrap:wrap;gap:12px}.lost{color:#b00}</style>
        </head><body>
        <h1>\(SVGPlot.escaped(title))</h1>
        <p>\(summaryLine())</p>
        \(table())
        <p>★ Pareto-best: no other level has fewer bytes and non-zero weights, more properties proven, a smaller certified max |g − f| \
        and a higher agreement at once. ✔ recommended: the most compressed level that loses no property\
        \(points.contains { $0.gate != nil } ? " and passes the gate" : "").</p>
        <div class="plots">
        \(plots().map { $0.svg() }.joined())
        </div>
        </body></html>

        """
    }

    private func summaryLine() -> String {
        let recommendation = recommended.map { "recommended level: <b>\(SVGPlot.escaped(points[$0].level))</b>" }
            ?? "no level keeps every property"
        return "\(points.count) levels of \(axis.rawValue), \(propertyNames.count) properties; \(recommendation)."
    }

    private func table() -> String {
        let pareto = Set(paretoBest)
        var rows = ["<table><tr><th>level</th><th>bytes</th><th>non-zeros</th><th>ratio</th><th>proven</th><th>lost</th>"
            + "<th>undecided</th><th>Lipschitz</th><th>L ratio</th><th>max |g−f|</th><th>attacked</th>"
            + "<th>agreement</th><th>gate</th><th>seconds</th></tr>"]
        for (i, p) in points.enumerated() {
            let mark = (pareto.contains(i) ? " ★" : "") + (recommended == i ? " ✔" : "")
            let cells = [
                SVGPlot.escaped(p.level) + mark, "\(p.bytes)", "\(p.nonzeroWeights)", String(format: "%.1f×", p.compressionRatio),
                "\(p.proven)", p.count(.lost) > 0 ? "<span class=\"lost\">\(p.count(.lost))</span>" : "0",
                "\(p.count(.undecided))", Self.number(p.lipschitz), Self.number(p.lipschitzRatio),
                Self.number(p.maxDifference), Self.number(p.attackedDifference),
                p.agreement.map { String(format: "%.1f%%", 100 * $0) } ?? "–", p.gate?.rawValue ?? "–",
                String(format: "%.1f", p.seconds),
            ]
            rows.append("<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>")
        }
        return rows.joined(separator: "\n") + "</table>"
    }

    /// The four plots of the report.
    func plots() -> [SVGPlot] {
        func series(_ name: String, _ color: String, _ value: (SweepPoint) -> Double?) -> SVGPlot.Series {
            SVGPlot.Series(name: name, points: points.map { ($0.value, value($0) ?? .nan) }, color: color)
        }
        let x = axis.rawValue
        return [
            SVGPlot(title: "Properties", xLabel: x, yLabel: "properties", series: [
                series("proven", "#2a7", { Double($0.proven) }), series("lost", "#c33", { Double($0.count(.lost)) }),
                series("undecided", "#e90", { Double($0.count(.undecided)) }),
            ]),
            SVGPlot(title: "Certified Lipschitz bound", xLabel: x, yLabel: "L₂ bound",
                    series: [series("compressed", "#36c", \.lipschitz)],
                    reference: originalLipschitz.map { ("original", $0) }, logarithmicWhenWide: true),
            SVGPlot(title: "max |g − f| over the properties' boxes", xLabel: x, yLabel: "difference", series: [
                series("certified", "#36c", \.maxDifference), series("attacked", "#c33", \.attackedDifference),
            ], logarithmicWhenWide: true),
            SVGPlot(title: "Sampled decision agreement", xLabel: x, yLabel: "%",
                    series: [series("agreement", "#2a7", { $0.agreement.map { 100 * $0 } })]),
        ]
    }

    private static func number(_ v: Double?) -> String {
        guard let v else { return "–" }
        return v.isFinite ? String(format: "%.4g", v) : "∞"
    }
}
