import Foundation
import Reporting
import Testing

@testable import Suite

/// The suite on the repository's tiny networks: verdicts, statuses and the reports they render as.
@Suite struct SuiteRunnerTests {
    static let properties = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("properties")

    /// The seven instances of `properties/regression.csv` on the tiny and test networks (each well under a second),
    /// with their verdicts.
    static func fastList() throws -> InstanceList {
        let all = try InstanceList(contentsOfFile: properties.appendingPathComponent("regression.csv").path)
        let fast = all.instances.filter { $0.networkName.hasPrefix("tiny/") || $0.networkName.hasPrefix("test/") }
        return InstanceList(source: all.source, instances: fast)
    }

    static func options(undecided: SuiteOptions.UndecidedPolicy = .warn, shard: Shard? = nil) -> SuiteOptions {
        var options = SuiteOptions(undecided: undecided, shard: shard)
        options.verification.search.workers = 1
        return options
    }

    @Test func fastRegressionRowsGetTheirVerdicts() throws {
        let list = try Self.fastList()
        #expect(list.instances.count == 7)
        let report = SuiteRunner(options: Self.options()).run(list)
        #expect(report.outcome == .passed)
        #expect(report.checks.map(\.details["verdict"]) == list.instances.map { $0.expected?.rawValue })
        #expect(report.checks.map(\.details["expected"]) == report.checks.map(\.details["verdict"]))
        #expect(report.checks.allSatisfy { $0.status == .passed && $0.message == nil })
        #expect(report.checks[0].group == "tiny/tiny.onnx" && report.checks[0].name == "tiny/tiny_sat.vnnlib")
        #expect(report.checks[0].details["counterexample"]?.split(separator: " ").count == 2)
        #expect(report.checks[0].details["timeout"] == "20")
        let summary = SuiteSummary(report)
        #expect((summary.decided, summary.sat, summary.unsat, summary.wrong, summary.errors) == (7, 2, 5, 0, 0))

        let junit = report.junitXML()
        #expect(junit.contains("<testsuites name=\"suite: regression.csv\" tests=\"7\" failures=\"0\" errors=\"0\""))
        #expect(junit.contains("<testsuite name=\"tiny/tiny.onnx\" tests=\"2\" failures=\"0\""))
        #expect(junit.contains("<testcase classname=\"test/test_sat.onnx\" name=\"test/test_prop.vnnlib\""))
        let json = try RunReport(jsonData: try report.jsonData())
        #expect(json == report)
        #expect(json.command == "suite" && json.totalChecks == 7 && json.shard == nil)
    }

    @Test func wrongVerdictsFailUndecidedFollowsThePolicyAndBadFilesAreErrors() throws {
        let dir = try InstanceListTests.folder()  // a.onnx is empty: it does not load
        let tiny = Self.properties.appendingPathComponent("tiny")
        for name in ["tiny.onnx", "tiny_sat.vnnlib", "tiny_unsat.vnnlib"] {
            try FileManager.default.copyItem(at: tiny.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let text = "tiny.onnx,tiny_sat.vnnlib,5\na.onnx,p.vnnlib,5\ntiny.onnx,tiny_unsat.vnnlib,0.000001\n"
        let list = try InstanceList(text: text, path: dir.appendingPathComponent("list.csv").path)
        let expected = try ExpectedVerdicts(
            text: "tiny.onnx,tiny_sat.vnnlib,unsat\n", path: dir.appendingPathComponent("expected.csv").path)
        let report = SuiteRunner(options: Self.options()).run(list, expected: expected)
        #expect(report.checks.map(\.status) == [.failed, .error, .warning])
        #expect(report.checks[0].message == "wrong verdict: sat, expected unsat")
        #expect(report.checks[1].message?.contains("a.onnx") == true)
        #expect(report.checks[1].details["verdict"] == nil)
        #expect(report.checks[2].details["verdict"] == "timeout")
        #expect(report.outcome == .failed)

        let strict = SuiteRunner(options: Self.options(undecided: .fail))
            .run(InstanceList(source: list.source, instances: [list.instances[2]]))
        #expect(strict.checks.map(\.status) == [.undecided])
        #expect(strict.outcome == .undecided)
    }

    /// A timed-out search says how much of its space it closed (MNIST-FC 256x2 `prop_1_0.03` needs about 28 s in a
    /// release build; 2 s here).
    @Test func aTimeoutReportsTheClosedShareOfItsSearch() throws {
        let list = try InstanceList(
            text: "mnistfc/mnist-net_256x2.onnx,mnistfc/prop_1_0.03.vnnlib,2\n",
            path: Self.properties.appendingPathComponent("list.csv").path)
        let check = try #require(SuiteRunner(options: Self.options()).run(list).checks.first)
        #expect(check.details["verdict"] == "timeout")
        let closed = try #require(check.details["closed"])
        let percent = try #require(Double(closed.dropLast()))
        #expect(closed.hasSuffix("%") && percent >= 0 && percent < 100)
        #expect(check.message == "timeout after 2 s (\(closed) of the search space closed)")
    }

    @Test func shardsRunTheirRowsAndMergeIntoTheWholeRun() throws {
        let list = try Self.fastList()
        let whole = SuiteRunner(options: Self.options()).run(list)
        let shards = try (1...3).map { k in
            SuiteRunner(options: Self.options(shard: try Shard(index: k, count: 3))).run(list)
        }
        #expect(shards.map { $0.checks.map(\.index) } == [[0, 3, 6], [1, 4], [2, 5]])
        #expect(shards.allSatisfy { $0.totalChecks == 7 })
        let merged = try RunReport.merged(shards.reversed())
        #expect(Self.zeroingTimes(merged) == Self.zeroingTimes(whole))
    }

    static func zeroingTimes(_ report: RunReport) -> RunReport {
        var report = report
        report.seconds = 0
        for i in report.checks.indices { report.checks[i].seconds = 0 }
        return report
    }
}
