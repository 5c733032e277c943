import Foundation
import LipschitzSDP
import ONNX
import TestSupport
import Testing
import VNNLib
import Verifier

/// README.md's library example, compiled and run here; a second test checks that the README shows exactly this
/// code, so the documentation cannot drift from an API that compiles.
struct ReadmeExampleTests {
    static let repository = ReadmeCode.repository(testFile: #filePath)

    /// The example, between the markers, as the README shows it (run from the repository root).
    static func example() throws {
        // README-EXAMPLE-BEGIN
        let network = try NetworkLoader.load(path: "properties/tiny/tiny.onnx")
        let spec = try Specification(contentsOfFile: "properties/tiny/tiny_unsat.vnnlib")

        // Verify.
        let result = try Verifier(options: VerificationOptions(timeout: 30)).verify(network: network, specification: spec)
        switch result.verdict {
        case .proven: print("holds")
        case .violated(let counterexample): print("violated at", counterexample.input)
        case .timeout, .unknown: print("undecided")
        }

        // Certified output bounds over the property's box (alpha-CROWN).
        let box = try OutputBounds.compute(network: network, over: spec.cases[0].inputBox)
        print(box.lower, box.upper)

        // A certified Lipschitz bound, global and over the box.
        let analyzer = try LipschitzAnalyzer(network: network)
        let global = try analyzer.bound(method: .lipsdpNeuron)
        print(global.bound, global.optimumLowerBound ?? .nan, global.gap ?? .nan)  // certified L, dual bound, gap
        print(try analyzer.localBound(method: .lipsdpNeuron, inputBox: spec.cases[0].inputBox).bound)
        // README-EXAMPLE-END
    }

    @Test func theExampleRuns() throws {
        let previous = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(Self.repository.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try Self.example()
    }

    @Test func theReadmeShowsThisCode() throws {
        let code = try #require(try ReadmeCode.example(in: #filePath, marker: "README-EXAMPLE"))
        let blocks = try ReadmeCode.readmeBlocks(testFile: #filePath)
        #expect(blocks.first == code)
    }
}
