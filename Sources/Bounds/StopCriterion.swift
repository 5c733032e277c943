/// When an alpha-CROWN optimisation may stop early: once every group of objective rows has a row whose lower
/// bound exceeds its threshold. A caller that proves a disjunction of regions (a region refuted by any of its
/// rows) learns nothing more from further steps, so a batched bound drops that problem from the remaining
/// iterations (alpha-beta-CROWN's stop criterion).
///
/// Stopping never affects soundness: every intermediate bound is a valid bound.
public struct StopCriterion: Sendable, Hashable {
    /// Row indices, one group per region to refute.
    public var groups: [[Int]]
    /// One threshold per objective row.
    public var thresholds: [Double]

    /// A criterion over `groups` of rows with per-row `thresholds`.
    public init(groups: [[Int]], thresholds: [Double]) {
        self.groups = groups
        self.thresholds = thresholds
    }

    /// True when every group (at least one) has a row `r` with `lower[r] − thresholds[r] > 0`.
    public func isMet(by lower: [Double]) -> Bool {
        !groups.isEmpty && groups.allSatisfy { group in group.contains { lower[$0] - thresholds[$0] > 0 } }
    }
}
