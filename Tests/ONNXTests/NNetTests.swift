import Foundation
import Network
import ONNX
import Testing

/// The `.nnet` reader against the ONNX equivalent of the same network (ACAS Xu conversion style).
@Suite struct NNetTests {
    static let path = Fixtures.model("small.nnet")

    @Test func structureAndInputBox() throws {
        let model = try NNetReader.load(path: Self.path)
        #expect(
            model.network.layers.map(\.kindName) == [
                "ElementwiseAffine", "Dense", "ReLU", "Dense", "ElementwiseAffine",
            ])
        #expect(model.network.inputShape == [1, 3] && model.network.outputShape == [1, 2])
        #expect(model.inputBox.map(\.lower) == [-2, -3, -2.5] && model.inputBox.map(\.upper) == [2, 3, 2.5])
        guard case let .elementwise(first) = model.network.layers[0],
            case let .elementwise(last) = model.network.layers[4]
        else { return }
        #expect(first.scale == [0.5, 0.25, 2] && first.shift == [-0.125, 0.125, -0.25])  // (x − mean) / range
        #expect(last.scale == [8, 8] && last.shift == [1.5, 1.5])  // y · range_out + mean_out
    }

    @Test func agreesWithTheEquivalentONNXModel() throws {
        let nnet = try NetworkLoader.load(path: Self.path)
        let onnx = try NetworkLoader.load(path: Fixtures.model("small_nnet_equivalent.onnx"))
        for k in 0..<50 {
            let x = Fixtures.referenceInput(k, count: 3).map { 2 * Double($0) }
            for (a, b) in zip(nnet.evaluate(x), onnx.evaluate(x)) { #expect(abs(a - b) <= 1e-12 * (1 + abs(b))) }
        }
    }

    @Test func malformedFilesNameTheLine() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Truncated: the last bias is missing.
        let truncated = lines.dropLast(2).joined(separator: "\n")
        #expect(throws: ONNXError.self) { try NNetReader.parse(truncated, fileName: "cut.nnet") }
        // A non-number on line 7 (input maximums).
        var bad = lines.map(String.init)
        bad[6] = "2.0,oops,2.5,"
        do {
            _ = try NNetReader.parse(bad.joined(separator: "\n"), fileName: "bad.nnet")
            Issue.record("accepted a malformed file")
        } catch {
            #expect(
                error
                    == .malformedNNet(
                        file: "bad.nnet", line: 7, reason: "'oops' in input maximums is not a finite number"))
            #expect(error.description.hasPrefix("bad.nnet:7: "))
        }
        #expect(throws: ONNXError.self) { try NNetReader.parse("", fileName: "empty.nnet") }
        #expect(throws: ONNXError.self) { try NNetReader.parse("1,2,3,4\n5,6\n", fileName: "sizes.nnet") }
    }

    @Test func loaderRejectsUnknownExtensions() {
        #expect(throws: ONNXError.unknownFormat(file: "model.h5")) { try NetworkLoader.load(path: "model.h5") }
    }
}
