import Foundation
import Testing

/// VNN-LIB 2 queries that declare an integer output (`Fixtures/integer_output`, make_shape.py): accepted when the
/// model's output is an integer constant (`Y = Shape(X)`), refused with exit 2 otherwise.
struct IntegerOutputCLITests {
    static func file(_ name: String) -> String { CLITests.fixture("integer_output/\(name)") }

    static func verify(_ query: String, _ extra: [String] = []) throws -> CLITests.Run {
        try CLITests.run(["verify", file(query), "--network", "N=\(file("shape.onnx"))", "--timeout", "30"] + extra)
    }

    @Test func anUnreachableShapeValueIsUnsat() throws {
        let run = try Self.verify("shape_unsat.vnnlib")
        #expect(run.status == 0)
        #expect(run.lines.first == "unsat")
    }

    /// The assignment prints and serialises Y with its declared type: integers, an INT64 tensor.
    @Test func aShapeValueThatAlwaysHoldsIsSatWithIntegerOutputs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-intout-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Self.verify("shape_sat.vnnlib", ["--serialise-assignments", folder])
        #expect(run.status == 0)
        let lines = run.lines
        #expect(lines.first == "sat")
        let y = try #require(lines.firstIndex(of: "Y int64 [2]"))
        #expect(Array(lines[(y + 1)...].prefix(2)) == ["2", "3"])
        let tensor = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/Y.pb"))
        let raw = Data([2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0])
        #expect(tensor.range(of: raw) != nil, "Y.pb holds [2, 3] as little-endian int64")
        #expect(tensor.range(of: Data([0x10, 0x07])) != nil, "data_type (field 2) is INT64 (7)")
    }

    @Test func anIntegerOutputOfANonConstantModelIsBadInput() throws {
        let run = try CLITests.run([
            "verify", Self.file("relu_int64.vnnlib"), "--network", "f=\(CLITests.fixture("multinet/f.onnx"))",
        ])
        #expect(run.status == 2)
        #expect(run.stderr.contains("relu_int64.vnnlib"))
        #expect(run.stderr.contains("output Y_f int64 [1, 2] at 5:21"))
    }
}
