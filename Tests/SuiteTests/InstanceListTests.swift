import Foundation
import Testing

@testable import Suite

/// Instance lists and expected-verdict files: the forms they may take and the errors that name file and line.
@Suite struct InstanceListTests {
    /// A fresh folder with empty `a.onnx`, `b.onnx`, `p.vnnlib`, `q.vnnlib` and `sub/r.vnnlib` (existence is all
    /// parsing checks).
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-suite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ["a.onnx", "b.onnx", "p.vnnlib", "q.vnnlib", "sub/r.vnnlib"] {
            try Data().write(to: dir.appendingPathComponent(name))
        }
        return dir
    }

    static func parse(_ text: String, in dir: URL, name: String = "instances.csv") throws(SuiteError) -> InstanceList {
        try InstanceList(text: text, path: dir.appendingPathComponent(name).path)
    }

    @Test func readsVNNCOMPRowsWithAndWithoutTimeouts() throws {
        let dir = try Self.folder()
        let list = try Self.parse("a.onnx,p.vnnlib,116\n\n# comment\nb.onnx, sub/r.vnnlib\n", in: dir)
        #expect(list.instances.count == 2)
        #expect(list.instances[0].networkName == "a.onnx")
        #expect(list.instances[0].network == dir.appendingPathComponent("a.onnx").standardizedFileURL.path)
        #expect(list.instances[0].timeout == 116)
        #expect(list.instances[1].propertyName == "sub/r.vnnlib")
        #expect(list.instances[1].timeout == nil)
        #expect(list.instances[1].source.hasSuffix("instances.csv:4"))
    }

    @Test func readsAPlainListSeparatedBySpaces() throws {
        let dir = try Self.folder()
        let list = try Self.parse("a.onnx   p.vnnlib 2.5\n\tb.onnx\tq.vnnlib\n", in: dir, name: "list.txt")
        #expect(list.instances.map(\.propertyName) == ["p.vnnlib", "q.vnnlib"])
        #expect(list.instances.map(\.timeout) == [2.5, nil])
    }

    @Test func readsAHeaderWithNamedColumnsAndExpectedVerdicts() throws {
        let dir = try Self.folder()
        let text = "network,property,expected,timeout,tier\na.onnx,p.vnnlib,sat,20,fast\nb.onnx,q.vnnlib,unsat,,slow\n"
        let list = try Self.parse(text, in: dir)
        #expect(list.instances.map(\.expected) == [.sat, .unsat])
        #expect(list.instances.map(\.timeout) == [20, nil])
    }

    @Test func errorsNameTheFileAndLine() throws {
        let dir = try Self.folder()
        let path = dir.appendingPathComponent("instances.csv").path
        #expect(throws: SuiteError.invalidLine(file: path, line: 2, problem: "timeout 'abc' is not a positive number of seconds")) {
            try Self.parse("a.onnx,p.vnnlib,1\na.onnx,p.vnnlib,abc\n", in: dir)
        }
        #expect(throws: SuiteError.invalidLine(file: path, line: 1, problem: "timeout '-3' is not a positive number of seconds")) {
            try Self.parse("a.onnx,p.vnnlib,-3\n", in: dir)
        }
        #expect(throws: SuiteError.invalidLine(file: path, line: 3, problem: "expected NET,PROP[,TIMEOUT], found 1 field")) {
            try Self.parse("# c\n\na.onnx\n", in: dir)
        }
        #expect(throws: SuiteError.invalidLine(file: path, line: 1, problem: "expected NET,PROP[,TIMEOUT], found 4 fields")) {
            try Self.parse("a.onnx,p.vnnlib,1,2\n", in: dir)
        }
        let missing = dir.appendingPathComponent("missing.vnnlib").path
        #expect(throws: SuiteError.invalidLine(
            file: path, line: 1, problem: "property file 'missing.vnnlib' does not exist (\(missing))")) {
            try Self.parse("a.onnx,missing.vnnlib,1\n", in: dir)
        }
        #expect(throws: SuiteError.missingColumn(file: path, column: "vnnlib' or 'property", header: ["onnx", "timeout"])) {
            try Self.parse("onnx,timeout\na.onnx,1\n", in: dir)
        }
        #expect(throws: SuiteError.empty(file: path)) { try Self.parse("# nothing\n\n", in: dir) }
        #expect(throws: SuiteError.unreadable(file: "/nonexistent/list.csv", reason: "No such file or directory")) {
            try InstanceList(contentsOfFile: "/nonexistent/list.csv")
        }
        let message = SuiteError.invalidLine(file: "x.csv", line: 7, problem: "timeout 'abc' is not a positive number of seconds")
        #expect(message.description == "x.csv:7: timeout 'abc' is not a positive number of seconds")
    }

    @Test func expectedVerdictsMatchInstancesByResolvedPaths() throws {
        let dir = try Self.folder()
        let list = try Self.parse("a.onnx,sub/r.vnnlib,1\nb.onnx,q.vnnlib,1\na.onnx,p.vnnlib\n", in: dir)
        // Written from the subfolder: ../a.onnx and r.vnnlib name the same files as the list's row 1.
        let expected = try ExpectedVerdicts(
            text: "onnx,vnnlib,expected\n../a.onnx,r.vnnlib,sat\n../b.onnx,../q.vnnlib,?\n",
            path: dir.appendingPathComponent("sub/expected.csv").path)
        #expect(list.instances.map { expected.verdict(for: $0) } == [.sat, nil, nil])
        let path = dir.appendingPathComponent("expected.csv").path
        #expect(throws: SuiteError.invalidLine(file: path, line: 2, problem: "expected verdict 'holds' is not sat, unsat or unknown")) {
            try ExpectedVerdicts(text: "onnx,vnnlib,expected\na.onnx,p.vnnlib,holds\n", path: path)
        }
        #expect(throws: SuiteError.missingColumn(file: path, column: "expected", header: ["onnx", "vnnlib"])) {
            try ExpectedVerdicts(text: "onnx,vnnlib\na.onnx,p.vnnlib\n", path: path)
        }
    }

    @Test func timeoutsAreScaledThenCapped() throws {
        let dir = try Self.folder()
        let list = try Self.parse("a.onnx,p.vnnlib,100\na.onnx,q.vnnlib\n", in: dir)
        var options = SuiteOptions(timeoutScale: 0.5, maxTimeout: 30)
        options.verification.timeout = 20
        #expect(list.instances.map(options.timeout(of:)) == [30, 10])
    }
}
