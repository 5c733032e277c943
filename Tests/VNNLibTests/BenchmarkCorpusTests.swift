import Foundation
import Testing

@testable import VNNLib

/// Every `.vnnlib` under `/work/shared/benchmarks` (present on the development machine only) parses.
@Suite struct BenchmarkCorpusTests {
    static let root = "/work/shared/benchmarks"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: root)))
    func everyBenchmarkPropertyParses() throws {
        let enumerator = try #require(FileManager.default.enumerator(atPath: Self.root))
        var count = 0
        for case let relative as String in enumerator where relative.hasSuffix(".vnnlib") {
            let path = Self.root + "/" + relative
            let spec = try Specification(contentsOfFile: path)
            #expect(!spec.cases.isEmpty, "\(relative)")
            #expect(spec.cases.allSatisfy { $0.inputBox.isValid }, "\(relative)")
            count += 1
        }
        #expect(count >= 40)
    }

    /// A timing report, so opt-in (speed is measured under benchmarks/, not by the default suite; the parse
    /// itself is checked by `Version1Tests.mnistRobustness`): `NNCERT_BENCH=1 swift test --filter
    /// BenchmarkCorpusTests`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NNCERT_BENCH"] != nil))
    func parsingMNISTTakesMilliseconds() throws {
        let text = try Fixture.text("mnistfc_prop_0_0.03.vnnlib")
        let clock = ContinuousClock()
        var spec: Specification?
        var times: [Duration] = []
        for _ in 0..<5 {  // the first run pays one-time runtime costs (conformance lookups)
            times.append(try clock.measure { spec = try VNNLibParser.parse(contents: text).specification() })
        }
        let elapsed = times.sorted()[2]
        #expect(spec?.cases.first?.disjuncts.count == 9)
        print(
            "VNNLib: MNIST property (\(text.utf8.count) bytes) parsed and normalised in \(elapsed) (median of 5, first \(times[0]))"
        )
        #expect(elapsed < .seconds(2))
    }
}
