import Foundation
import Network
import ONNX
import Testing

/// Every network with a committed onnxruntime reference (`Fixtures/reference/*.json`, written by
/// `generate_reference_outputs.py`) evaluates to the same outputs in Swift, in Float64 and in Float32:
/// `|y − y_ort| ≤ 1e-5 · (1 + |y_ort|)` on 100 seeded inputs. Networks whose file is absent are skipped.
@Suite struct ReferenceAgreementTests {
    /// Relative tolerance against onnxruntime's float32 outputs.
    static let tolerance = 1e-5

    struct Reference {
        var file: String
        var set: String
        var paths: [String]
        var seedBase: Int
        var outputs: [[Double]]

        /// The first of ``paths`` that exists here (nil: the network is absent, its check is skipped).
        var existingPath: String? {
            paths.map(Fixtures.resolve).first { FileManager.default.fileExists(atPath: $0) }
        }
    }

    static func references() throws -> [Reference] {
        let folder = Fixtures.directory.appendingPathComponent("reference")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            .sorted()
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return Reference(
                file: try #require(json["file"] as? String), set: try #require(json["set"] as? String),
                paths: try #require(json["paths"] as? [String]), seedBase: try #require(json["seedBase"] as? Int),
                outputs: try #require(json["outputs"] as? [[Double]]))
        }
    }

    /// The benchmark sets of the reference files (the `set` field), checked in parallel.
    static let sets = [
        "properties/acasxu", "properties/mnistfc", "properties/test", "properties/tiny", "acasxu", "mnistfc", "test",
        "lipsdp", "models", "exported",
    ]

    @Test func everyReferenceBelongsToAKnownSet() throws {
        let references = try Self.references()
        #expect(references.count >= 20)
        for reference in references {
            #expect(Self.sets.contains(reference.set), "\(reference.file): \(reference.set)")
        }
    }

    @Test(arguments: sets) func swiftEvaluationMatchesOnnxRuntime(set: String) throws {
        let references = try Self.references().filter { $0.set == set }
        var float64 = ErrorStatistics(), float32 = ErrorStatistics()
        var checked = 0, skipped = 0
        for reference in references {
            guard let path = reference.existingPath else {
                skipped += 1
                continue
            }
            let network = try ONNXImporter.load(path: path)
            var e64 = ErrorStatistics(), e32 = ErrorStatistics()
            for (k, expected) in reference.outputs.enumerated() {
                let x = Fixtures.referenceInput(k, count: network.inputCount, seedBase: reference.seedBase)
                let y64 = network.evaluate(x.map(Double.init))
                let y32 = network.evaluate(x)
                try #require(y64.count == expected.count && y32.count == expected.count, "\(reference.file)")
                for i in expected.indices {
                    e64.record(y64[i], reference: expected[i])
                    e32.record(Double(y32[i]), reference: expected[i])
                }
            }
            #expect(e64.relative <= Self.tolerance, "\(reference.file) Float64: \(e64)")
            #expect(e32.relative <= Self.tolerance, "\(reference.file) Float32: \(e32)")
            float64.merge(e64)
            float32.merge(e32)
            checked += 1
        }
        print(
            "onnxruntime agreement [\(set)]: \(checked) networks (\(skipped) skipped, file absent): Float64 \(float64); Float32 \(float32)"
        )
    }
}
