import Foundation
import Testing

/// A path that cannot be read gives `nncert: error: PATH: REASON` (the system's reason, no Foundation error
/// domain) on one line of stderr and exit code 2, whichever file it was.
@Suite struct FileErrorTests {
    static let tiny = CLITests.prop("tiny/tiny.onnx")
    static let tinyProperty = CLITests.prop("tiny/tiny_unsat.vnnlib")

    /// A fresh empty directory named `name` (an extension makes nncert pick the reader).
    static func directory(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-\(UUID().uuidString)")
            .appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Runs nncert and checks exit code 2, no output, and exactly `nncert: error: PATH: REASON` on stderr.
    static func expectFailure(_ arguments: [String], path: String, reason: String) throws {
        let run = try CLITests.run(arguments)
        #expect(run.status == 2, "\(arguments)")
        #expect(run.stdout.isEmpty, "\(arguments)")
        #expect(run.stderr == "nncert: error: \(path): \(reason)\n", "\(arguments)")
    }

    @Test func missingFiles() throws {
        try Self.expectFailure(["verify", "/nonexistent.onnx", "x.vnnlib"], path: "/nonexistent.onnx",
                               reason: "No such file or directory")
        try Self.expectFailure(["info", "/nonexistent/model.nnet"], path: "/nonexistent/model.nnet",
                               reason: "No such file or directory")
        try Self.expectFailure(["verify", Self.tiny, "/nonexistent/p.vnnlib"], path: "/nonexistent/p.vnnlib",
                               reason: "No such file or directory")
        try Self.expectFailure(["eval", Self.tiny, "--inputs", "/nonexistent/x.csv"], path: "/nonexistent/x.csv",
                               reason: "No such file or directory")
        try Self.expectFailure(["bounds", Self.tiny, "/nonexistent/p.vnnlib"], path: "/nonexistent/p.vnnlib",
                               reason: "No such file or directory")
    }

    @Test func directories() throws {
        let plain = try Self.directory("models")
        try Self.expectFailure(["info", plain], path: plain, reason: "Is a directory")
        let onnx = try Self.directory("net.onnx")
        try Self.expectFailure(["verify", onnx, Self.tinyProperty], path: onnx, reason: "Is a directory")
        let nnet = try Self.directory("net.nnet")
        try Self.expectFailure(["info", nnet], path: nnet, reason: "Is a directory")
        let property = try Self.directory("prop.vnnlib")
        try Self.expectFailure(["verify", Self.tiny, property], path: property, reason: "Is a directory")
        try Self.expectFailure(["info", property], path: property, reason: "Is a directory")
        try Self.expectFailure(["eval", Self.tiny, "--inputs", plain], path: plain, reason: "Is a directory")
    }

    @Test func unwritableResultFile() throws {
        let run = try CLITests.run(["verify", Self.tiny, Self.tinyProperty, "--result", "/nonexistent/dir/r.txt"])
        #expect(run.status == 2)
        #expect(run.stderr == "nncert: error: /nonexistent/dir/r.txt: No such file or directory\n")
    }

    @Test func unreadableFile() throws {
        let dir = try Self.directory("locked")
        let path = dir + "/net.onnx"
        try Data(contentsOf: URL(fileURLWithPath: Self.tiny)).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Root reads files whatever their permissions: then there is nothing to refuse (the reason string itself
        // is checked by TensorTests.FileContentsTests).
        guard geteuid() != 0 else { return }
        try Self.expectFailure(["info", path], path: path, reason: "Permission denied")
    }

    @Test func infoShowsTheInputRangeOfANNetNetwork() throws {
        let run = try CLITests.run(["info", CLITests.fixture("identity_clip.nnet")])
        #expect(run.status == 0)
        #expect(run.lines.contains("  input range (inputs are clipped to it) [0.0, 1.0]"))
        let json = try CLITests.run(["info", CLITests.fixture("identity_clip.nnet"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let range = object?["inputRange"] as? [String: Any]
        #expect(range?["lower"] as? [Double] == [0] && range?["upper"] as? [Double] == [1])
        let onnx = try CLITests.run(["info", Self.tiny, "--json"])
        #expect(!onnx.stdout.contains("inputRange"))
    }

    /// The audit's `.nnet` case: inputs clipped to [0, 1], `Y_0 ≥ 1.5` over [0, 2] (nncert printed sat, X_0 = 1.77).
    @Test func propertyBeyondTheNNetRangeIsUnsat() throws {
        let run = try CLITests.run(["verify", CLITests.fixture("identity_clip.nnet"),
                                    CLITests.fixture("identity_clip_beyond.vnnlib"), "--timeout", "10"])
        #expect(run.status == 0)
        #expect(run.lines.first == "unsat")
    }
}
