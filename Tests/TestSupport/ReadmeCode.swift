import Foundation

/// The code README.md shows, for the tests that keep it compiling: each example lives in a test file between two
/// marker comments, and its test checks that README.md shows exactly those lines.
public enum ReadmeCode {
    /// The repository root (three levels above a file in `Tests/TARGET/`).
    public static func repository(testFile: String) -> URL {
        URL(fileURLWithPath: testFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The non-empty lines of `text`, trimmed.
    public static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The lines of `testFile` between `// MARKER-BEGIN` and `// MARKER-END`; nil when a marker is missing.
    public static func example(in testFile: String, marker: String) throws -> [String]? {
        let source = try String(contentsOf: URL(fileURLWithPath: testFile), encoding: .utf8)
        guard let begin = source.range(of: "// \(marker)-BEGIN\n"), let end = source.range(of: "// \(marker)-END")
        else { return nil }
        return lines(String(source[begin.upperBound..<end.lowerBound]))
    }

    /// Every ```swift block of the repository's README.md, as lines without `import`s.
    public static func readmeBlocks(testFile: String) throws -> [[String]] {
        let url = repository(testFile: testFile).appendingPathComponent("README.md")
        let readme = try String(contentsOf: url, encoding: .utf8)
        return readme.components(separatedBy: "```swift\n").dropFirst().compactMap {
            $0.components(separatedBy: "```").first.map { lines($0).filter { !$0.hasPrefix("import ") } }
        }
    }
}
