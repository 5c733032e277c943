import Comparison
public import Reporting
import Verifier

/// A sweep's outcome as checks (one ``Reporting/RunReport``): per level, one check per property, then the
/// Lipschitz bound, the certified `max |g − f|` and the sampled agreement.
///
/// A property check passes when the level keeps the guarantee (preserved or gained), fails when the level
/// loses it (the message carries the counterexample), warns when the level is undecided on a property the
/// original proves, and is skipped when the original does not prove it. The three measures pass with their
/// values in the details (a sweep without a policy sets no limits).
public struct SweepChecks: Sendable {
    /// The sweep.
    public var outcome: Sweeper.Outcome
    /// Each swept level's position among all levels of the unsharded sweep.
    public var levelIndices: [Int]
    /// The number of levels of the unsharded sweep.
    public var totalLevels: Int

    /// The checks of `outcome`, whose levels sit at `levelIndices` of a sweep of `totalLevels` levels.
    public init(outcome: Sweeper.Outcome, levelIndices: [Int], totalLevels: Int) {
        precondition(levelIndices.count == outcome.result.points.count, "one index per level")
        self.outcome = outcome
        self.levelIndices = levelIndices
        self.totalLevels = totalLevels
    }

    /// Checks per level: the gate's, when the sweep ran one; else the properties, then `lipschitz`,
    /// `max |g − f|` and `agreement`.
    public var checksPerLevel: Int {
        outcome.gateReports?.first?.totalChecks ?? (outcome.result.propertyNames.count + 3)
    }

    /// The report of the sweep (command `sweep`).
    public func report(title: String, shard: Shard?, seconds: Double, attributes: [String: String]) -> RunReport {
        if let gateReports = outcome.gateReports {
            let checks = zip(levelIndices, zip(outcome.result.points, gateReports)).flatMap { k, level in
                level.1.checks.map { check in
                    var c = check
                    c.index = k * checksPerLevel + check.index
                    c.group = level.0.level + " · " + check.group
                    return c
                }
            }
            return RunReport(
                command: "sweep", title: title, shard: shard, totalChecks: totalLevels * checksPerLevel, checks: checks,
                seconds: seconds, columns: gateReports.first?.columns ?? [],
                attributes: attributes.merging(gateReports.first?.attributes ?? [:]) { a, _ in a })
        }
        let checks = zip(levelIndices, zip(outcome.result.points, outcome.comparisons)).flatMap { k, level in
            self.checks(level: k, point: level.0, comparison: level.1)
        }
        return RunReport(
            command: "sweep", title: title, shard: shard, totalChecks: totalLevels * checksPerLevel, checks: checks,
            seconds: seconds, columns: ["original", "compressed", "max |g - f|", "attacked", "value"], attributes: attributes)
    }

    private func checks(level k: Int, point: SweepPoint, comparison: NetworkComparison) -> [CheckResult] {
        let base = k * checksPerLevel
        var checks = comparison.properties.enumerated().map { j, p in
            Self.propertyCheck(p, index: base + j, group: point.level)
        }
        let n = comparison.properties.count
        func measure(_ offset: Int, _ name: String, _ value: Double?, _ extra: [String: String] = [:]) -> CheckResult {
            CheckResult(
                index: base + n + offset, group: point.level, name: name, status: .passed, seconds: 0,
                details: extra.merging(["value": value.map { Self.format($0) } ?? "none"]) { a, _ in a })
        }
        checks.append(measure(0, "lipschitz", point.lipschitz, [
            "original": outcome.result.originalLipschitz.map { Self.format($0) } ?? "none",
            "ratio": point.lipschitzRatio.map { Self.format($0) } ?? "none",
        ]))
        checks.append(measure(1, "max |g - f|", point.maxDifference, [
            "max |g - f|": point.maxDifference.map { Self.format($0) } ?? "none",
            "attacked": point.attackedDifference.map { Self.format($0) } ?? "none",
        ]))
        checks.append(measure(2, "agreement", point.agreement))
        return checks
    }

    /// The check of one property at one level.
    static func propertyCheck(_ p: PropertyComparison, index: Int, group: String) -> CheckResult {
        var details = ["original": SearchTrace.Outcome(p.original.verdict).rawValue, "compressed": SearchTrace.Outcome(p.compressed.verdict).rawValue]
        if let certified = p.differences.map(\.worstCertified).max() {
            details["max |g - f|"] = format(certified)
            details["attacked"] = format(p.differences.map(\.worstAttacked).max() ?? 0)
        }
        let status: CheckResult.Status
        var message: String?
        switch p.preservation {
        case .preserved, .gained:
            status = .passed
        case .lost:
            status = .failed
            if let cex = p.lostCounterexample {
                details["counterexample"] = cex.input.map { "\($0)" }.joined(separator: " ")
                message = "lost: counterexample x = [" + cex.input.map { format($0) }.joined(separator: ", ") + "]"
            }
        case .undecided where p.original.verdict == .proven:
            status = .warning
            message = "undecided on the compressed network"
        case .undecided, .violatedInBoth:
            status = .skipped
            message = "the original does not prove it"
        }
        return CheckResult(
            index: index, group: group, name: p.name, status: status, seconds: p.compressed.statistics.seconds,
            message: message,
            details: details)
    }


    static func format(_ v: Double) -> String {
        v.isFinite ? String(describing: (v * 1e6).rounded() / 1e6) : (v > 0 ? "inf" : "-inf")
    }
}
