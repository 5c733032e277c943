import Comparison
import Differential
import Foundation
import NetworkCompression
import ONNX
import TestSupport
import Testing
import VNNLib
import Verifier

/// README.md's second library example (compress, bound the difference, compare), compiled and run here; a second
/// test checks that the README shows exactly this code.
struct ReadmeCompressionExampleTests {
    static let repository = ReadmeCode.repository(testFile: #filePath)

    /// The example, between the markers, as the README shows it (run from the repository root).
    static func example() throws -> NetworkComparison {
        // README-COMPRESSION-EXAMPLE-BEGIN
        let original = try NetworkLoader.load(path: "properties/acasxu/ACASXU_run2a_1_1_batch_2000.onnx")
        let property = try Specification(contentsOfFile: "properties/acasxu/prop_1.vnnlib")

        // Compress: prune half of each layer's weights, then quantise the rest to 8 bits.
        let (compressed, report) = try CompressionPipeline([
            .prune(MagnitudePruning(.fraction(0.5, .perLayer))), .quantize(Quantization(.uniform(bits: 8))),
        ]).apply(to: original)
        print(report.compressionRatio)  // bytes before / after

        // Certified bounds on compressed(x) − original(x) over the property's box.
        let box = property.cases[0].inputBox
        let difference = try DifferenceBounds.compute(original: original, compressed: compressed, over: box, splits: 8)
        print(difference.maxAbsolute)  // per output: |compressed − original| ≤ this on the whole box

        // Compare property by property (ACAS Xu's advisory is the lowest score).
        let options = ComparisonOptions(
            verification: VerificationOptions(timeout: 60), lipschitzMethod: nil, decision: .argmin, decisionTimeout: 10)
        let comparison = try Comparator(options: options).compare(
            original: ComparedNetwork(original), compressed: ComparedNetwork(compressed),
            properties: [ComparedProperty(name: "prop_1", specification: property)])
        print(comparison.properties[0].preservation)  // preserved, lost, gained, violatedInBoth or undecided
        // README-COMPRESSION-EXAMPLE-END
        return comparison
    }

    @Test func theExampleRunsAndPreservesPropertyOne() throws {
        let previous = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(Self.repository.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let comparison = try Self.example()
        #expect(comparison.properties.map(\.preservation) == [.preserved])
    }

    @Test func theReadmeShowsThisCode() throws {
        let code = try #require(try ReadmeCode.example(in: #filePath, marker: "README-COMPRESSION-EXAMPLE"))
        let blocks = try ReadmeCode.readmeBlocks(testFile: #filePath)
        #expect(blocks.contains(code), "README.md has no ```swift block with this example")
    }
}
