public import Comparison
import Gate
import Network
public import Reporting
import NetworkCompression
import Tensor
import Verifier

/// Compresses a network at several levels and compares each level with the original: properties kept, the
/// certified Lipschitz bound, the certified `max |g − f|` over the properties' boxes, sampled decision agreement.
///
/// The original is verified and bounded once (``Comparison/ComparisonBaseline``), not once per level.
///
/// ```swift
/// let sweep = try Sweeper().sweep(
///     original: ComparedNetwork(f), levels: SweepLevel.levels(.prune, values: [0.1, 0.3, 0.5]),
///     properties: properties)
/// print(sweep.result.recommended.map { sweep.result.points[$0].level } ?? "none")
/// ```
public struct Sweeper: Sendable {
    /// The settings.
    public var options: SweepOptions

    /// A sweeper with the given settings.
    public init(options: SweepOptions = SweepOptions()) { self.options = options }

    /// A sweep's measurements and each level's full comparison (for gate checks and reports).
    public struct Outcome: Sendable {
        /// The measurements, one point per level.
        public var result: SweepResult
        /// Each level's comparison with the original, in level order.
        public var comparisons: [NetworkComparison]
        /// The original's side, computed once.
        public var baseline: ComparisonBaseline
        /// The gate's report per level, when ``SweepOptions/gate`` is set.
        public var gateReports: [RunReport]?
    }

    /// Where a running sweep is: the level (nil while the original is analysed) and the comparison's step.
    public struct Progress: Sendable {
        /// The level being compared, or nil for the original.
        public var level: String?
        /// Levels finished.
        public var levelsDone: Int
        /// Levels in all.
        public var levels: Int
        /// The comparison's current step.
        public var step: ComparisonProgress
    }

    /// Compresses `original` at each of `levels` and compares the result with it on `properties`.
    /// - Throws: ``SweepError``.
    public func sweep(
        original: ComparedNetwork, levels: [SweepLevel], properties: [ComparedProperty],
        progress: ((Progress) -> Void)? = nil
    ) throws(SweepError) -> Outcome {
        guard !levels.isEmpty else { throw .noLevels }
        let comparator = Comparator(options: options.comparison)
        let baseline: ComparisonBaseline
        do {
            baseline = try comparator.baseline(original: original, properties: properties) { step in
                progress?(Progress(level: nil, levelsDone: 0, levels: levels.count, step: step))
            }
        } catch {
            throw .comparison(error)
        }
        var points: [SweepPoint] = [], comparisons: [NetworkComparison] = [], gateReports: [RunReport] = []
        for (k, level) in levels.enumerated() {
            var (point, comparison, compressed) = try measure(level, against: baseline, comparator: comparator) { step in
                progress?(Progress(level: level.label, levelsDone: k, levels: levels.count, step: step))
            }
            if let (configured, specifications) = options.gate {
                // The comparison has just verified every property on both networks: the gate keeps its decided
                // verdicts instead of verifying again.
                var gate = configured
                gate.knownVerdicts = KnownVerdicts(comparison, baseline: baseline)
                progress?(Progress(level: level.label, levelsDone: k, levels: levels.count, step: ComparisonProgress(
                    stage: "gate", property: nil, done: 0, total: 1)))
                let report: RunReport
                do {
                    report = try gate.run(
                        original: original, compressed: ComparedNetwork(compressed), specifications: specifications,
                        title: level.label)
                } catch {
                    throw .gate(level: level.label, error)
                }
                point.gate = report.outcome
                point.seconds += report.seconds
                gateReports.append(report)
            }
            points.append(point)
            comparisons.append(comparison)
        }
        let result = SweepResult(
            axis: levels[0].axis, propertyNames: properties.map(\.name),
            originalVerdicts: Dictionary(
                zip(properties.map(\.name), baseline.verifications.map { SearchTrace.Outcome($0.verdict).rawValue }),
                uniquingKeysWith: { a, _ in a }),
            originalLipschitz: try? baseline.lipschitz?.get().bound,
            originalBytes: NetworkStatistics(network: original.network).bytes, points: points)
        return Outcome(
            result: result, comparisons: comparisons, baseline: baseline,
            gateReports: options.gate == nil ? nil : gateReports)
    }

    /// One level: compress, compare, sample.
    private func measure(
        _ level: SweepLevel, against baseline: ComparisonBaseline, comparator: Comparator,
        progress: @escaping (ComparisonProgress) -> Void
    ) throws(SweepError) -> (SweepPoint, NetworkComparison, Network) {
        let clock = ContinuousClock(), start = clock.now
        let f = baseline.original.network
        let compressed: (network: Network, report: CompressionReport)
        do {
            compressed = try level.pipeline.apply(to: f)
        } catch {
            throw .compression(level: level.label, error)
        }
        let comparison: NetworkComparison
        do {
            comparison = try comparator.compare(ComparedNetwork(compressed.network), with: baseline, progress: progress)
        } catch {
            throw .comparison(error)
        }
        let boxes = baseline.properties.flatMap { $0.specification.cases.map(\.inputBox) }
        let worst = comparison.properties.flatMap(\.differences)
        let point = SweepPoint(
            level: level.label, value: level.value, bytes: compressed.report.compressed.bytes,
            nonzeroWeights: compressed.report.compressed.nonzeroWeights,
            compressionRatio: compressed.report.compressionRatio,
            properties: Dictionary(
                comparison.properties.map { ($0.name, $0.preservation) }, uniquingKeysWith: { a, _ in a }),
            lipschitz: try? comparison.lipschitz?.compressed.get().bound, lipschitzRatio: comparison.lipschitz?.ratio,
            maxDifference: comparison.worstDifference, attackedDifference: worst.map(\.worstAttacked).max(),
            agreement: DecisionAgreement.sample(
                f, compressed.network, over: boxes, rule: options.decision, samples: options.agreementSamples,
                seed: options.seed),
            gate: nil, seconds: (clock.now - start).seconds)
        return (point, comparison, compressed.network)
    }

}
