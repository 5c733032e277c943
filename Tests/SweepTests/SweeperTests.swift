import Comparison
import Differential
import Foundation
import Network
import Sweep
import Tensor
import TestSupport
import Testing
import VNNLib
import Verifier

@testable import Sweep

@Suite struct SweeperTests {
    /// A seeded 3-8-8-3 ReLU network.
    static func network() throws -> Network {
        var rng = SplitMix64(seed: 7)
        return try RandomNetworks.mlp(
            [3, 8, 8, 3], weight: { Double.random(in: -1...1, using: &rng) / Double($0).squareRoot() },
            bias: { Double.random(in: -0.1...0.1, using: &rng) })
    }

    /// "output 0 stays the top class" on a small box around a point where it is (property violated if y1 ≥ y0 or
    /// y2 ≥ y0).
    static func property(_ f: Network, name: String, radius: Double) throws -> ComparedProperty {
        let centre = [0.3, -0.2, 0.5]
        var lines = (0..<3).map { "(declare-const X_\($0) Real)" } + (0..<3).map { "(declare-const Y_\($0) Real)" }
        for (i, c) in centre.enumerated() {
            lines += ["(assert (>= X_\(i) \(c - radius)))", "(assert (<= X_\(i) \(c + radius)))"]
        }
        let y = f.evaluate(centre)
        let top = y.indices.max { y[$0] < y[$1] }!
        let others = y.indices.filter { $0 != top }.map { "(>= Y_\($0) Y_\(top))" }
        lines.append("(assert (or " + others.joined(separator: " ") + "))")
        return ComparedProperty(
            name: name, specification: try VNNLibParser.parse(contents: lines.joined(separator: "\n")).specification())
    }

    static var options: SweepOptions {
        var comparison = SweepOptions.defaultComparison
        comparison.verification.timeout = 10
        comparison.lipschitzMethod = .naive
        comparison.difference = DifferenceBudget(maxLeaves: 20, timeLimit: 2)
        return SweepOptions(comparison: comparison, agreementSamples: 500, seed: 3)
    }

    @Test func pruningLevelsAreMeasuredAgainstOneBaseline() throws {
        let f = try Self.network()
        let properties = try [Self.property(f, name: "small", radius: 0.01), Self.property(f, name: "wide", radius: 0.5)]
        let outcome = try Sweeper(options: Self.options).sweep(
            original: ComparedNetwork(f), levels: SweepLevel.levels(.prune, values: [0, 0.3, 0.9]),
            properties: properties)
        let points = outcome.result.points
        #expect(points.map(\.level) == ["prune 0", "prune 0.3", "prune 0.9"])
        // Level 0 is the original itself: nothing moves, everything the original proves is preserved.
        #expect(points[0].maxDifference == 0)
        #expect(points[0].agreement == 1)
        #expect(points[0].lipschitzRatio == 1)
        #expect(outcome.baseline.verifications[0].verdict == .proven)
        #expect(points[0].properties["small"] == .preserved)
        // Bytes shrink as pruning grows; every certified bound lies above its attacked value.
        #expect(points[0].nonzeroWeights > points[1].nonzeroWeights && points[1].nonzeroWeights > points[2].nonzeroWeights)
        for p in points { #expect(p.attackedDifference! <= p.maxDifference!) }
        // Level 0 has the most bytes but nothing beats it on quality; the most pruned level has the fewest bytes:
        // both are Pareto-best.
        #expect(outcome.result.paretoBest.contains(0) && outcome.result.paretoBest.contains(2))
    }

    @Test func paretoAndRecommendation() {
        func point(_ level: String, value: Double, bytes: Int, lost: Int, difference: Double, agreement: Double) -> SweepPoint {
            var properties: [String: Preservation] = ["a": .preserved, "b": .preserved]
            if lost > 0 { properties["b"] = .lost }
            return SweepPoint(
                level: level, value: value, bytes: bytes, nonzeroWeights: 10, compressionRatio: 1, properties: properties, lipschitz: nil,
                lipschitzRatio: nil, maxDifference: difference, attackedDifference: 0, agreement: agreement,
                gate: nil, seconds: 0)
        }
        let result = SweepResult(
            axis: .prune, propertyNames: ["a", "b"], originalVerdicts: [:], originalLipschitz: nil, originalBytes: 100,
            points: [
                point("big", value: 0.1, bytes: 90, lost: 0, difference: 0.1, agreement: 1),
                point("dominated", value: 0.1, bytes: 90, lost: 0, difference: 0.2, agreement: 0.9),
                point("mid", value: 0.5, bytes: 50, lost: 0, difference: 0.3, agreement: 0.95),
                point("small", value: 0.9, bytes: 20, lost: 1, difference: 0.9, agreement: 0.7),
            ])
        #expect(result.paretoBest == [0, 2, 3])
        #expect(result.recommended == 2)
    }

    @Test func htmlHasOnePlotPerMeasureAndEscapes() {
        func point(_ bits: Int) -> SweepPoint {
            let b = Double(bits)
            let outcome: Preservation = bits > 2 ? .preserved : .undecided
            return SweepPoint(
                level: "quantize \(bits)", value: b, bytes: bits * 10, nonzeroWeights: 10, compressionRatio: 32 / b,
                properties: ["p<1>": outcome], lipschitz: 2 + 1 / b, lipschitzRatio: 1, maxDifference: 1 / b,
                attackedDifference: 0.5 / b, agreement: 1, gate: nil, seconds: 1)
        }
        let result = SweepResult(
            axis: .quantize, propertyNames: ["p<1>"], originalVerdicts: [:], originalLipschitz: 2,
            originalBytes: 100, points: [point(8), point(4), point(2)])
        let html = result.html(title: "sweep <net>")
        #expect(html.components(separatedBy: "<svg ").count == 5)
        #expect(html.contains("sweep &lt;net&gt;"))
        #expect(!html.contains("<net>"))
        #expect(html.contains("recommended level: <b>quantize 2</b>"))
    }

    @Test func plotAxesUseRoundTicks() {
        #expect(SVGPlot.tickStep(1) == 0.2)
        #expect(SVGPlot.tickStep(37) == 5)
        let range = SVGPlot.niceRange([0.13, 0.87])
        #expect(abs(range.lower - 0.1) < 1e-12 && abs(range.upper - 0.9) < 1e-12)
        #expect(SVGPlot.ticks((0, 1)).count == 6)
        #expect(SVGPlot.niceRange([3, 3]).upper > 3)
        // Non-finite points are gaps, never axis limits.
        let plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y", series: [
            .init(name: "s", points: [(1, 1), (2, .infinity), (3, .nan), (4, 2)], color: "#000"),
        ], reference: nil)
        #expect(!plot.svg().contains("inf") && !plot.svg().contains("nan"))
    }
}
