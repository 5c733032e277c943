import Foundation
import FuzzSupport
import Network
import ONNX
import Tensor
import TestSupport
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

    static let identityOnUnitInterval = NNetFixtures.identityOnUnitInterval

    /// `network` without its input clipping (same layers and names).
    static func withoutClamp(_ network: Network) throws -> Network {
        try Network(inputShape: network.inputShape, layers: network.layers, inputName: network.inputName,
                    outputName: network.outputName)
    }

    @Test func inputsAreClippedToTheDeclaredRange() throws {
        let network = try NNetReader.parse(Self.identityOnUnitInterval, fileName: "identity.nnet").network
        #expect(network.inputClamp == Box(lower: [0], upper: [1]))
        #expect(network.evaluate([1.77]) == [1.0])
        #expect(network.evaluate([Float(1.77)]) == [1.0])
        #expect(network.evaluate([-0.5]) == [0.0])
        #expect(network.evaluate([0.25]) == [0.25])
        // Clipping is constant outside the range: zero gradient there, the layers' gradient inside.
        #expect(network.valueAndGradient(at: [1.77], outputWeights: [1]).gradient == [0])
        #expect(network.valueAndGradient(at: [0.5], outputWeights: [1]).gradient == [1])
        let small = try NNetReader.load(path: Self.path)
        #expect(small.network.inputClamp == Box(lower: [-2, -3, -2.5], upper: [2, 3, 2.5]))
        #expect(small.network.evaluate([5, -7, 2.5]) == small.network.evaluate([2, -3, 2.5]))
    }

    @Test func exportRefusesAClippingNetwork() throws {
        let network = try NNetReader.parse(Self.identityOnUnitInterval).network
        #expect(throws: ONNXError.cannotExport(reason: "the network clips its inputs to a range (a .nnet input range), which the exporter does not write")) {
            try ONNXExporter.data(for: network)
        }
        #expect(throws: ONNXError.self) { try ONNXExporter.write(network, to: "/tmp/never-written.onnx") }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.onnx"))
        #expect(try !ONNXExporter.data(for: Self.withoutClamp(network)).isEmpty)
    }

    @Test func anInvertedRangeIsMalformed() {
        let inverted = Self.identityOnUnitInterval.replacingOccurrences(of: "0.0,\n1.0,\n0.0,0.0", with: "2.0,\n1.0,\n0.0,0.0")
        #expect(throws: ONNXError.malformedNNet(file: "inverted.nnet", line: 6, reason: "an input minimum exceeds its maximum")) {
            try NNetReader.parse(inverted, fileName: "inverted.nnet")
        }
    }

    /// Seeded text and number edits of small.nnet (shared ``Mutator``): the reader returns a network that
    /// evaluates, clipping included, or throws ``ONNXError``; it never traps.
    @Test func mutatedFilesNeverCrash() throws {
        let source = Array(try String(contentsOfFile: Self.path, encoding: .utf8).utf8)
        var rng = SplitMix64(seed: 0x2026_0E7)
        var (parsed, rejected) = (0, 0)
        for _ in 0..<1_000 {
            var bytes = source
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                if Bool.random(using: &rng) {
                    Mutator.mutateNumbers(&bytes, using: &rng)
                } else {
                    Mutator.mutateText(&bytes, using: &rng)
                }
            }
            do {
                let network = try NNetReader.parse(String(decoding: bytes, as: UTF8.self), fileName: "fuzz.nnet").network
                parsed += 1
                guard network.inputCount <= 10_000, let clamp = network.inputClamp else { continue }
                #expect(clamp.isValid)
                let x = [Double](repeating: 1e6, count: network.inputCount)
                #expect(network.evaluate(x) == network.evaluate(clamp.clamped(x)))
            } catch {
                #expect(error.description.hasPrefix("fuzz.nnet"))
                rejected += 1
            }
        }
        #expect(parsed > 0 && rejected > 0)
    }

    @Test func loaderRejectsUnknownExtensions() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-\(UUID().uuidString).h5").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ONNXError.unknownFormat(file: path)) { try NetworkLoader.load(path: path) }
        // A path that cannot be read says so first, whatever its extension.
        #expect(throws: ONNXError.unreadable(file: "/nonexistent/model.h5", reason: "No such file or directory")) {
            try NetworkLoader.load(path: "/nonexistent/model.h5")
        }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: ONNXError.unreadable(file: directory, reason: "Is a directory")) {
            try NetworkLoader.load(path: directory)
        }
    }
}
