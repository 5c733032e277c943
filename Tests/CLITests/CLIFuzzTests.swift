import Foundation
import FuzzSupport
import Testing

/// A sample of the pipeline fuzz cases (``PipelineCase``, the campaign of VerifierTests.PipelineFuzzTests) run
/// through the `nncert verify` executable: it exits (never a signal) with 0 and a verdict word, or with 2 and one
/// `nncert: error:` line.
@Suite struct CLIFuzzTests {
    /// 12 processes by default; `NNCERT_FUZZ_ITERATIONS=N` runs N / 10.
    static var count: Int { max(1, PipelineCase.iterations(default: 120) / 10) }

    @Test func mutatedFilesExitWithAVerdictOrCodeTwo() throws {
        let sources = try PipelineCase.shippedPairs.map {
            try PipelineCase.Source(root: CLITests.properties, network: $0.network, property: $0.property)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let network = dir.appendingPathComponent("case.onnx"), property = dir.appendingPathComponent("case.vnnlib")
        var exits: [Int32: Int] = [:]
        for index in 0..<Self.count {
            // Another seed than the in-process campaign: these cases add to it.
            let fuzzCase = PipelineCase(index: index, seed: 0xC11_F022, sources: sources)
            try Data(fuzzCase.network).write(to: network)
            try Data(fuzzCase.property).write(to: property)
            let process = Process()
            process.executableURL = CLITests.executable
            process.arguments = ["verify", network.path, property.path, "--timeout", "0.2"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            exits[process.terminationStatus, default: 0] += 1
            let label = "case \(index) \(PipelineCase.shippedPairs[fuzzCase.pair]) \(fuzzCase.mutated)"
            #expect(process.terminationReason == .exit, "\(label): signal \(process.terminationStatus)")
            switch process.terminationStatus {
            case 0:
                let word = stdout.split(separator: "\n").first.map(String.init)
                #expect(["sat", "unsat", "timeout", "unknown"].contains(word ?? ""), "\(label): \(stdout)")
            case 2:
                #expect(stderr.hasPrefix("nncert: error: "), "\(label): \(stderr)")
                #expect(stderr.split(separator: "\n").count == 1, "\(label): \(stderr)")
            default:
                Issue.record("\(label): exit code \(process.terminationStatus): \(stderr)")
            }
        }
        print("CLI fuzz: \(Self.count) runs, exit 0: \(exits[0] ?? 0), exit 2: \(exits[2] ?? 0)")
    }
}
