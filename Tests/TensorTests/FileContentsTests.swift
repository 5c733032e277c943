import Foundation
import Tensor
import Testing

/// ``FileContents``: whole-file reads whose errors carry the system's reason only.
@Suite struct FileContentsTests {
    @Test func readsAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })  // several read chunks
        try bytes.write(to: url)
        #expect(try FileContents.read(atPath: url.path) == bytes)
        try FileContents.checkReadable(atPath: url.path)
    }

    @Test func failuresNameThePathAndTheReason() {
        #expect(throws: FileContents.ReadError(path: "/nonexistent/x", code: ENOENT)) {
            try FileContents.read(atPath: "/nonexistent/x")
        }
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: FileContents.ReadError(path: dir, code: EISDIR)) { try FileContents.read(atPath: dir) }
        #expect(throws: FileContents.ReadError(path: dir, code: EISDIR)) { try FileContents.checkReadable(atPath: dir) }
        #expect(FileContents.ReadError(path: "/nonexistent/x", code: ENOENT).description
                == "/nonexistent/x: No such file or directory")
        #expect(FileContents.ReadError(path: "p", code: EISDIR).description == "p: Is a directory")
        #expect(FileContents.ReadError(path: "p", code: EACCES).description == "p: Permission denied")
    }

    @Test func reasonOfAFoundationWriteError() {
        do {
            try Data([1]).write(to: URL(fileURLWithPath: "/nonexistent/dir/x"))
            Issue.record("wrote into a missing folder")
        } catch {
            #expect(FileContents.reason(for: error) == "No such file or directory")
        }
    }
}
