import Foundation

/// A line plot rendered as a self-contained SVG element: linear axes with rounded ticks, one polyline with point
/// markers per series, a legend, optionally a horizontal reference line (e.g. the original network's value).
///
/// Non-finite points are left out (a gap in the line), so a missing bound never distorts the axes.
struct SVGPlot: Sendable {
    struct Series: Sendable {
        var name: String
        var points: [(x: Double, y: Double)]
        var color: String
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// A labelled horizontal line, e.g. the original's Lipschitz bound.
    var reference: (label: String, y: Double)? = nil
    /// Plot `log₁₀ y` when every value is positive and they span more than two decades (a certified bound far
    /// above an attacked value), so that both stay readable.
    var logarithmicWhenWide = false

    static let width = 420.0, height = 260.0
    private static let left = 62.0, right = 12.0, top = 28.0, bottom = 44.0

    /// The SVG markup.
    func svg() -> String {
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        var ys = finite.map(\.y) + (reference.map { [$0.y] } ?? []).filter(\.isFinite)
        let log = logarithmicWhenWide && !ys.isEmpty && ys.allSatisfy { $0 > 0 } && ys.max()! > 100 * ys.min()!
        if log { ys = ys.map { log10($0) } }
        func ty(_ y: Double) -> Double { log ? log10(y) : y }
        let xr = Self.niceRange(finite.map(\.x)), yr = Self.niceRange(ys, includeZero: !log)
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + (x - xr.lower) / (xr.upper - xr.lower) * plotW }
        func py(_ y: Double) -> Double { Self.top + plotH - (ty(y) - yr.lower) / (yr.upper - yr.lower) * plotH }
        func pyTick(_ t: Double) -> Double { Self.top + plotH - (t - yr.lower) / (yr.upper - yr.lower) * plotH }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\""
            + " viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        s += "<title>\(Self.escaped(title))</title>\n"
        s += text(Self.width / 2, 16, title, anchor: "middle", extra: " font-weight=\"bold\"")
        s += "<rect x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#999\"/>\n"
        for tick in Self.ticks(xr) {
            s += line(px(tick), Self.top + plotH, px(tick), Self.top + plotH + 4, "#999")
            s += text(px(tick), Self.top + plotH + 16, Self.label(tick), anchor: "middle")
        }
        for tick in Self.ticks(yr) where !log || tick == tick.rounded() {
            s += line(Self.left - 4, pyTick(tick), Self.left + plotW, pyTick(tick), "#eee")
            s += text(Self.left - 6, pyTick(tick) + 4, Self.label(log ? pow(10, tick) : tick), anchor: "end")
        }
        s += text(Self.left + plotW / 2, Self.height - 8, xLabel, anchor: "middle")
        let yTitle = Self.escaped(yLabel + (log ? " (log scale)" : ""))
        s += "<text x=\"14\" y=\"\(f(Self.top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(Self.top + plotH / 2)))\">\(yTitle)</text>\n"
        if let reference, reference.y.isFinite {
            s += "<line x1=\"\(f(Self.left))\" y1=\"\(f(py(reference.y)))\" x2=\"\(f(Self.left + plotW))\" y2=\"\(f(py(reference.y)))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n"
            s += text(Self.left + plotW - 4, py(reference.y) - 4, reference.label, anchor: "end")
        }
        for (k, serie) in series.enumerated() {
            let pts = serie.points.filter { $0.x.isFinite && $0.y.isFinite }
            if pts.count > 1 {
                let path = pts.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                s += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(serie.color)\" stroke-width=\"2\"/>\n"
            }
            for p in pts {
                s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(serie.color)\"><title>\(Self.escaped(serie.name)): \(Self.label(p.y)) at \(Self.label(p.x))</title></circle>\n"
            }
            let ly = Self.top + 12 + Double(k) * 14
            s += line(Self.left + 8, ly - 4, Self.left + 24, ly - 4, serie.color, width: 2)
            s += text(Self.left + 28, ly, serie.name, anchor: "start")
        }
        return s + "</svg>\n"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: String, width: Double = 1)
        -> String
    {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(color)\" stroke-width=\"\(f(width))\"/>\n"
    }

    private func text(_ x: Double, _ y: Double, _ content: String, anchor: String, extra: String = "") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\"\(extra)>\(Self.escaped(content))</text>\n"
    }

    /// The data range widened to round tick values (a degenerate range gets a unit around its value).
    static func niceRange(_ values: [Double], includeZero: Bool = false) -> (lower: Double, upper: Double) {
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo < 1e-12 * max(1, abs(hi)) { lo -= 0.5; hi += 0.5 }
        let step = tickStep(hi - lo)
        return ((lo / step).rounded(.down) * step, (hi / step).rounded(.up) * step)
    }

    /// A 1-2-5 step giving about five ticks over `span`.
    static func tickStep(_ span: Double) -> Double {
        let raw = span / 5, magnitude = pow(10, (log10(raw)).rounded(.down))
        let unit = raw / magnitude
        return magnitude * (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10)
    }

    static func ticks(_ range: (lower: Double, upper: Double)) -> [Double] {
        let step = tickStep(range.upper - range.lower)
        let count = Int(((range.upper - range.lower) / step).rounded())
        return (0...max(0, count)).map { range.lower + Double($0) * step }
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e4 || abs(v) < 1e-3 { return String(format: "%.2g", v) }
        return String(format: "%g", (v * 1e4).rounded() / 1e4)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
