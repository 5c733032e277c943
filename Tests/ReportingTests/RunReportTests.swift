import Foundation
import Testing

@testable import Reporting

@Suite struct RunReportTests {
    /// Eight checks of every status, with details, as a run would produce them.
    static func sample() -> [CheckResult] {
        let statuses: [CheckResult.Status] = [.passed, .failed, .undecided, .warning, .error, .skipped, .passed, .passed]
        return statuses.enumerated().map { i, status in
            CheckResult(
                index: i, group: i < 4 ? "net_a.onnx" : "net_b.onnx", name: "prop_\(i).vnnlib", status: status,
                seconds: Double(i) + 0.25, message: status == .passed ? nil : "why \(i), with \"quotes\" & <tags>",
                details: ["verdict": i % 2 == 0 ? "unsat" : "sat", "nodes": "\(10 * i)"])
        }
    }

    static func report(_ checks: [CheckResult], shard: Shard? = nil) -> RunReport {
        RunReport(
            command: "suite", title: "suite: instances.csv", shard: shard, totalChecks: 8, checks: checks, seconds: 12,
            columns: ["verdict"], attributes: ["instances": "instances.csv"])
    }

    @Test func shardsPartitionTheChecksRoundRobin() throws {
        let shards = try (1...3).map { try Shard(index: $0, count: 3) }
        for i in 0..<20 { #expect(shards.count { $0.contains(i) } == 1) }
        #expect(try Shard(parsing: "2/3").select(Array(0..<8)).map(\.index) == [1, 4, 7])
        for bad in ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/2", ""] {
            #expect(throws: ReportError.invalidShard(bad)) { try Shard(parsing: bad) }
        }
    }

    @Test func outcomeOrdersFailedBeforeUndecided() {
        let checks = Self.sample()
        #expect(Self.report(checks).outcome == .failed)
        #expect(Self.report(checks.filter { $0.status != .failed && $0.status != .error }).outcome == .undecided)
        #expect(Self.report(checks.filter { [.passed, .warning, .skipped].contains($0.status) }).outcome == .passed)
    }

    @Test func jsonRoundTripsAndRejectsOtherSchemas() throws {
        let report = Self.report(Self.sample())
        #expect(try RunReport(jsonData: report.jsonData()) == report)
        var other = report
        other.schema = "something-else"
        #expect(throws: ReportError.self) { try RunReport(jsonData: other.jsonData()) }
        other = report
        other.version = 99
        #expect(throws: ReportError.self) { try RunReport(jsonData: other.jsonData()) }
        #expect(throws: ReportError.self) { try RunReport(jsonData: Data("{\"schema\":".utf8)) }
    }

    @Test func mergedShardsRenderAsTheUnshardedRun() throws {
        let whole = Self.report(Self.sample())
        let shards = try (1...3).map { k in
            let shard = try Shard(index: k, count: 3)
            return Self.report(shard.select(Self.sample()).map(\.element), shard: shard)
        }
        let merged = try RunReport.merged(shards.reversed())
        #expect(merged == whole)
        #expect(merged.junitXML() == whole.junitXML())
        #expect(merged.markdown() == whole.markdown())
        #expect(merged.csv() == whole.csv())
    }

    @Test func mergeRefusesMissingDuplicateAndForeignShards() throws {
        let shards = try (1...2).map { k in
            let shard = try Shard(index: k, count: 2)
            return Self.report(shard.select(Self.sample()).map(\.element), shard: shard)
        }
        #expect(throws: ReportError.self) { try RunReport.merged([shards[0]]) }
        #expect(throws: ReportError.self) { try RunReport.merged([shards[0], shards[0], shards[1]]) }
        var foreign = shards[1]
        foreign.command = "gate"
        #expect(throws: ReportError.self) { try RunReport.merged([shards[0], foreign]) }
        foreign = shards[1]
        foreign.shard = try Shard(index: 2, count: 3)
        #expect(throws: ReportError.self) { try RunReport.merged([shards[0], foreign]) }
        #expect(throws: ReportError.self) { try RunReport.merged([]) }
    }

    @Test func junitCountsAndEscapes() {
        let xml = Self.report(Self.sample()).junitXML()
        #expect(xml.contains("<testsuites name=\"suite: instances.csv\" tests=\"8\" failures=\"2\" errors=\"1\" skipped=\"1\""))
        #expect(xml.contains("<testsuite name=\"net_a.onnx\" tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"0\""))
        #expect(xml.contains("<failure type=\"undecided\" message=\"why 2, with &quot;quotes&quot; &amp; &lt;tags&gt;\"/>"))
        #expect(xml.contains("<error type=\"error\""))
        #expect(xml.contains("<skipped message="))
        #expect(xml.contains("warning: why 3"))
        #expect(!xml.contains("<tags>"))
        #expect(RunReport.escaped("a\u{1}b\tc") == "ab\tc")
    }

    @Test func markdownAndCSV() {
        let report = Self.report(Self.sample())
        let md = report.markdown()
        #expect(md.contains("**failed**: 3 passed, 1 failed, 1 undecided, 1 warning, 1 error, 1 skipped of 8 checks"))
        #expect(md.contains("Verdicts: 4 sat, 4 unsat."))
        #expect(md.contains("| group | check | status | verdict | seconds | message |"))
        #expect(md.contains("| net_a.onnx | prop_1.vnnlib | **FAIL** | sat | 1.2 |"))
        let csv = report.csv().split(separator: "\n")
        #expect(csv[0] == "index,group,name,status,seconds,message,verdict,nodes")
        #expect(csv[2] == "1,net_a.onnx,prop_1.vnnlib,failed,1.250,\"why 1, with \"\"quotes\"\" & <tags>\",sat,10")
    }
}
