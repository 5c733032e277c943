import Foundation
import FuzzSupport
import Tensor
import Testing

@testable import VNNLib

/// Seeded mutation fuzzing: the parser and normaliser either succeed or throw ``VNNLibError``; they never trap,
/// overflow the stack or hang.
@Suite(.timeLimit(.minutes(2))) struct VNNLibFuzzTests {
    /// One random edit (the shared ``Mutator/mutateText(_:using:)``).
    static func mutate(_ bytes: inout [UInt8], using rng: inout SplitMix64) { Mutator.mutateText(&bytes, using: &rng) }

    @Test func mutatedFixturesNeverCrash() throws {
        let names = Fixture.allNames.filter { !$0.hasPrefix("mnist") }
        let sources = try names.map { Array(try Fixture.text($0).utf8) }
        var rng = SplitMix64(seed: 0x5EED_F022)
        var parsed = 0
        var failed = 0
        let iterations = 2_000
        let start = Date()
        for _ in 0..<iterations {
            var bytes = sources.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) { Self.mutate(&bytes, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let spec = try VNNLibParser.parse(contents: text, fileName: "fuzz").specification()
                _ = VNNLibWriter.text(of: spec)
                parsed += 1
            } catch {
                #expect(!error.description.isEmpty)
                failed += 1
            }
        }
        let seconds = Date().timeIntervalSince(start)
        #expect(parsed + failed == iterations)
        #expect(parsed > 0 && failed > 0)
        print("VNNLib fuzz: \(iterations) mutations, \(parsed) parsed, \(failed) rejected, \(seconds) s")
    }

    @Test func mutatedMNISTNeverCrashes() throws {
        let source = Array(try Fixture.text("mnistfc_prop_0_0.03.vnnlib").utf8)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<40 {
            var bytes = source
            Self.mutate(&bytes, using: &rng)
            _ = try? VNNLibParser.parse(contents: String(decoding: bytes, as: UTF8.self)).specification()
        }
    }

    @Test func invalidUTF8FileAndRandomBytes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vnnlib-fuzz-\(UInt32.random(in: 0...UInt32.max)).vnnlib")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0x28, 0xFF, 0xFE, 0x58, 0x5F, 0x30, 0x29, 0xC3]).write(to: url)
        let error = vnnlibError { () throws(VNNLibError) in _ = try VNNLibParser.parseFile(atPath: url.path) }
        #expect(error?.line == 1 && error?.column == 2)
        var rng = SplitMix64(seed: 99)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? VNNLibParser.parse(contents: String(decoding: bytes, as: UTF8.self)).specification()
        }
    }

    @Test func nestingAtTheLimitDoesNotOverflowTheStack() throws {
        let depth = VNNLibTokenizer.defaultMaximumDepth - 2
        let bool =
            String(repeating: "(and ", count: depth - 1) + "(<= X_0 1)" + String(repeating: ")", count: depth - 1)
        let term = String(repeating: "(+ ", count: depth - 2) + "X_0" + String(repeating: ")", count: depth - 2)
        let text =
            "(declare-const X_0 Real)(declare-const Y_0 Real)(assert \(bool))(assert (>= \(term) -1))(assert (>= Y_0 0))"
        let spec = try VNNLibParser.parse(contents: text).specification()
        #expect(spec.cases.first?.inputBox == Box(lower: [-1], upper: [1]))
        let tooDeep = "(declare-const X_0 Real)(assert " + String(repeating: "(or ", count: 100_000)
        let error = specificationError(tooDeep)
        #expect(error?.problem == .nestingTooDeep(limit: VNNLibTokenizer.defaultMaximumDepth))
    }
}
