import Foundation
import FuzzSupport
import Network
import ONNX
import Tensor
import Testing

/// Bad bytes never crash the importer: they throw, or (for a harmless mutation) import a network that evaluates.
@Suite struct RobustnessTests {
    static let tinyPath = Fixtures.property("tiny/tiny.onnx")

    @Test func emptyFile() throws {
        #expect(throws: ONNXError.malformed(file: "empty.onnx", reason: "the file is empty")) {
            try ONNXImporter.network(from: Data(), fileName: "empty.onnx")
        }
    }

    @Test func truncatedFiles() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.tinyPath))
        let original = try ONNXImporter.network(from: data)
        var failures = 0
        for length in stride(from: 1, to: data.count, by: 7) {
            do {
                // A cut at a field boundary can leave a valid but smaller model; it must then still be sound.
                let network = try ONNXImporter.network(from: data.prefix(length), fileName: "cut.onnx")
                #expect(network == original)
            } catch {
                #expect(error.description.hasPrefix("cut.onnx: "))
                failures += 1
            }
        }
        #expect(failures > data.count / 7 - 3)
        let half = data.prefix(data.count / 2)
        #expect {
            try ONNXImporter.network(from: half, fileName: "half.onnx")
        } throws: { error in
            guard case .malformed(let file, _) = error as? ONNXError else { return false }
            return file == "half.onnx"
        }
    }

    @Test func randomBytes() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let count = Int(rng.next() % 2000) + 1
            let bytes = Data((0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            #expect(throws: ONNXError.self) { try ONNXImporter.network(from: bytes, fileName: "random.onnx") }
        }
    }

    /// Seeded mutations (byte and bit flips, truncation, insertion, deletion) of tiny.onnx (Gemm/Relu), of
    /// features.onnx (convolutions, pooling, batch norm, shape arithmetic) and of the ops_* fixtures (data
    /// movement, Slice/Split/Expand/reductions, 1-D and dilated windows, grouped and transposed convolutions); the
    /// graph interpreter is built and run on every mutant too.
    @Test(arguments: [
        ("tiny.onnx", 4000), ("features.onnx", 2000), ("ops_selection.onnx", 1000), ("ops_linear.onnx", 1000),
        ("ops_pool.onnx", 600), ("ops_conv1d.onnx", 600), ("ops_grouped_conv.onnx", 600),
        ("ops_conv_transpose.onnx", 600),
    ])
    func fuzzedModelsNeverCrash(model: String, iterations: Int) throws {
        let path = model == "tiny.onnx" ? Self.tinyPath : Fixtures.model(model)
        let seed = try Data(contentsOf: URL(fileURLWithPath: path))
        var rng = SplitMix64(seed: 2024)
        var imported = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations {
            var bytes = [UInt8](seed)
            Mutator.mutateBinary(&bytes, using: &rng)
            if let interpreter = try? GraphInterpreter(data: Data(bytes), fileName: "fuzz.onnx"),
                interpreter.inputCount <= 100_000
            {
                let y = interpreter.evaluate([Float](repeating: 0.5, count: interpreter.inputCount))
                #expect(y == nil || y?.count == interpreter.outputCount)
            }
            guard let network = try? ONNXImporter.network(from: Data(bytes), fileName: "fuzz.onnx") else { continue }
            imported += 1
            guard network.inputCount <= 100_000 else { continue }
            let x = [Double](repeating: 0.5, count: network.inputCount)
            #expect(network.evaluate(x).count == network.outputCount)
            #expect(network.evaluate(x.map(Float.init)).count == network.outputCount)
        }
        print(
            "fuzz: \(iterations) mutations of \(model), \(imported) imported, \(iterations - imported) rejected, in \(clock.now - start)"
        )
        #expect(imported < iterations)
    }
}
