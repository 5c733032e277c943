extension RunReport {
    /// The whole run from the reports of its shards (any order): the checks of all shards in index order, the
    /// longest shard's time, no shard.
    ///
    /// Renders exactly as the unsharded run would, apart from the times, because every rendering derives from the
    /// checks. Unsharded reports may be merged too (e.g. to combine the reports of separate runs of one command),
    /// as long as together they hold each index `0 ..< totalChecks` once.
    /// - Throws: ``ReportError/mismatchedShards(_:)`` when the reports come from different runs (command, title,
    ///   total, columns or shard count differ), ``ReportError/incompleteMerge(_:)`` when an index is missing or
    ///   appears twice (a shard missing or given twice).
    public static func merged(_ reports: [RunReport]) throws(ReportError) -> RunReport {
        guard let first = reports.first else { throw .incompleteMerge("no reports given") }
        for report in reports.dropFirst() {
            if report.command != first.command {
                throw .mismatchedShards("commands '\(first.command)' and '\(report.command)'")
            }
            if report.title != first.title { throw .mismatchedShards("titles '\(first.title)' and '\(report.title)'") }
            if report.totalChecks != first.totalChecks {
                throw .mismatchedShards("\(first.totalChecks) and \(report.totalChecks) checks in all")
            }
            if report.shard?.count != first.shard?.count {
                throw .mismatchedShards("shard counts \(first.shard?.description ?? "none") and "
                    + (report.shard?.description ?? "none"))
            }
            if report.columns != first.columns || report.attributes != first.attributes {
                throw .mismatchedShards("different settings (columns or attributes)")
            }
        }
        let checks = reports.flatMap(\.checks).sorted { $0.index < $1.index }
        var expected = 0
        for check in checks {
            if check.index < expected { throw .incompleteMerge("check \(check.index) appears twice") }
            if check.index > expected { throw .incompleteMerge("check \(expected) is missing (a shard not given?)") }
            expected += 1
        }
        if expected != first.totalChecks {
            throw .incompleteMerge("\(first.totalChecks - expected) checks from index \(expected) on are missing")
        }
        return RunReport(
            command: first.command, title: first.title, shard: nil, totalChecks: first.totalChecks, checks: checks,
            seconds: reports.map(\.seconds).max() ?? 0, columns: first.columns, attributes: first.attributes)
    }
}
