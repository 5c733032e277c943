import Foundation
import Network
import ONNX
import Tensor
import Testing

/// Export → import round trips; the exported files are also checked against onnxruntime by
/// `generate_reference_outputs.py` (and their committed reference outputs by ``ReferenceAgreementTests``).
@Suite struct ExportTests {
    /// A network with every layer kind and float32-representable parameters (multiples of 1/64).
    static func allLayerKinds() throws -> Network {
        var rng = SplitMix64(seed: 42)
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in Double(Int(rng.next() % 129) - 64) / 64 } }
        let conv = Conv2D(
            inputChannels: 1, inputHeight: 6, inputWidth: 6, outputChannels: 2, kernelHeight: 3, kernelWidth: 3,
            pads: [1, 1, 1, 1], weights: values(18), bias: values(2))
        return try Network(
            inputShape: [1, 1, 6, 6],
            layers: [
                .elementwise(ElementwiseAffine(scale: values(36), shift: values(36))),
                .conv2d(conv), .relu,
                .maxPool(
                    Pool2D(
                        channels: 2, inputHeight: 6, inputWidth: 6, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                        strideWidth: 2)),
                .averagePool(
                    Pool2D(
                        channels: 2, inputHeight: 3, inputWidth: 3, kernelHeight: 2, kernelWidth: 2, strideHeight: 1,
                        strideWidth: 1, pads: [1, 1, 0, 0], countIncludePad: true)),
                .sigmoid, .reshape([1, 2, 9]), .tanh,
                .dense(Dense(weights: Matrix(rows: 4, columns: 18, storage: values(72)), bias: values(4))), .relu,
                .dense(Dense(weights: Matrix(rows: 3, columns: 4, storage: values(12)), bias: values(3))),
            ],
            inputName: "image", outputName: "scores")
    }

    @Test func roundTripIsTheIdentityOnCanonicalNetworks() throws {
        let network = try Self.allLayerKinds()
        let data = try ONNXExporter.data(for: network)
        let back = try ONNXImporter.network(from: data, fileName: "all_layers.onnx")
        #expect(back == network)
        let x = Fixtures.referenceInput(0, count: network.inputCount).map(Double.init)
        #expect(back.evaluate(x) == network.evaluate(x))
    }

    @Test func roundTripOfImportedModels() throws {
        for path in [Fixtures.property("tiny/tiny.onnx"), Fixtures.property("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")]
        {
            let network = try ONNXImporter.load(path: path)
            #expect(try ONNXImporter.network(from: try ONNXExporter.data(for: network)) == network, "\(path)")
        }
        // Folded parameters (BatchNorm, Div) are not float32 values: equal up to float32 rounding.
        for name in ["features.onnx", "features_conv2.onnx", "features_opset11.onnx", "ops_softmax.onnx"] {
            let network = try ONNXImporter.load(path: Fixtures.model(name))
            let back = try ONNXImporter.network(from: try ONNXExporter.data(for: network))
            #expect(approximatelyEqual(back, network, tolerance: 1e-7), "\(name)")
        }
    }

    /// A softmax over groups that are not the last axis of its tensor (opset 11's flattening) is exported between
    /// two reshapes (opset 13 runs along one axis): the layers come back in another order, the function is the same.
    @Test func softmaxOverFlattenedGroupsRoundTrips() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("ops_softmax_opset11.onnx"))
        let back = try ONNXImporter.network(from: try ONNXExporter.data(for: network))
        #expect(back.layers.contains(.softmax(Softmax(size: 6))) && back.outputShape == network.outputShape)
        for k in 0..<5 {
            let x = Fixtures.referenceInput(k, count: network.inputCount).map(Double.init)
            #expect(zip(back.evaluate(x), network.evaluate(x)).allSatisfy { abs($0 - $1) <= 1e-12 })
        }
    }

    @Test func writeAndLoadThroughAFile() throws {
        let network = try Self.allLayerKinds()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nncert-export-\(UUID().uuidString).onnx"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ONNXExporter.write(network, to: path)
        #expect(try NetworkLoader.load(path: path) == network)
        #expect(throws: ONNXError.self) { try ONNXExporter.write(network, to: "/nonexistent/dir/x.onnx") }
    }

    /// The committed `Fixtures/exported/*.onnx` files are what the exporter writes today, so that the
    /// onnxruntime references of `generate_reference_outputs.py` test the current exporter. Set
    /// `NNCERT_WRITE_EXPORTS=1` to rewrite them (then rerun the Python script).
    @Test func exportWritesFixtures() throws {
        let sources: [(String, Network)] = [
            ("tiny_export.onnx", try ONNXImporter.load(path: Fixtures.property("tiny/tiny.onnx"))),
            (
                "acasxu_1_1_export.onnx",
                try ONNXImporter.load(path: Fixtures.property("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"))
            ),
            ("features_export.onnx", try ONNXImporter.load(path: Fixtures.model("features.onnx"))),
            ("features_conv2_export.onnx", try ONNXImporter.load(path: Fixtures.model("features_conv2.onnx"))),
            // The .nnet network without its input clipping (the exporter refuses clipping networks).
            ("small_nnet_export.onnx", try NNetTests.withoutClamp(NNetReader.load(path: Fixtures.model("small.nnet")).network)),
            ("all_layers_export.onnx", try Self.allLayerKinds()),
        ]
        let write = ProcessInfo.processInfo.environment["NNCERT_WRITE_EXPORTS"] == "1"
        for (name, network) in sources {
            let data = try ONNXExporter.data(for: network)
            if write {
                try data.write(to: Fixtures.sourceDirectory.appendingPathComponent("exported/\(name)"))
            } else {
                let committed = try Data(contentsOf: Fixtures.directory.appendingPathComponent("exported/\(name)"))
                #expect(committed == data, "\(name) differs from the exporter's output; regenerate the fixtures")
            }
        }
    }
}
