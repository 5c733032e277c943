import Foundation
import Testing

@testable import VNNLib

/// Paths and loaders for the copied benchmark files in `Fixtures/`.
enum Fixture {
    static var directory: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    static func specification(_ name: String) throws -> Specification {
        try Specification(contentsOfFile: path(name))
    }

    static var allNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".vnnlib") }.sorted()
    }
}

/// The error `body` throws, or nil.
func vnnlibError(_ body: () throws(VNNLibError) -> Void) -> VNNLibError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

/// The error of parsing and normalising `text`.
func specificationError(_ text: String, file: String = "t.vnnlib") -> VNNLibError? {
    vnnlibError { () throws(VNNLibError) in
        _ = try VNNLibParser.parse(contents: text, fileName: file).specification()
    }
}
