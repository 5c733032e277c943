#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Tensor

/// A recursive-descent parser for VNN-LIB 1 and 2 (tokenizer, no regular expressions).
///
/// VNN-LIB 1 (`declare-const`/`declare-fun` of `X_i`/`Y_i`, `assert`) becomes one network with input `X` and
/// output `Y`; VNN-LIB 2 (`vnnlib-version`, `declare-network`, typed and shaped declarations, indexed
/// variables) is read as written. Arithmetic is normalised to ``LinearExpression`` while parsing; a product of
/// two non-constant terms is an error. The parser never traps on malformed input: every problem is a
/// ``VNNLibError`` with the file, line and column. Complexity: O(tokens).
public enum VNNLibParser {
    /// Parser settings.
    public struct Options: Sendable, Hashable {
        /// The deepest nesting of parentheses and brackets accepted (bounds the recursion depth).
        public var maximumDepth: Int
        /// The largest number of scalar elements a declared tensor may have (3×1024×1024 images fit).
        public var maximumElementCount: Int

        /// Options with every field defaulted.
        public init(
            maximumDepth: Int = VNNLibTokenizer.defaultMaximumDepth, maximumElementCount: Int = 4_000_000
        ) {
            self.maximumDepth = maximumDepth
            self.maximumElementCount = maximumElementCount
        }
    }

    /// Parses VNN-LIB text.
    /// - Parameters:
    ///   - contents: the file text.
    ///   - fileName: the name used in error messages and recorded in the query.
    ///   - options: limits.
    public static func parse(
        contents: String, fileName: String = "<string>", options: Options = Options()
    ) throws(VNNLibError) -> Query {
        let tokens = try VNNLibTokenizer(contents: contents, fileName: fileName, maximumDepth: options.maximumDepth)
            .tokenize()
        var state = ParserState(tokens: tokens, fileName: fileName, options: options)
        return try state.parseQuery()
    }

    /// Reads and parses the file at `path` (invalid UTF-8 is decoded with replacement characters).
    public static func parseFile(atPath path: String, options: Options = Options()) throws(VNNLibError) -> Query {
        let data: Data
        do {
            data = try FileContents.read(atPath: path)
        } catch {
            throw VNNLibError(
                file: path, location: SourceLocation(line: 0, column: 0), problem: .unreadableFile(reason: error.reason))
        }
        return try parse(contents: String(decoding: data, as: UTF8.self), fileName: path, options: options)
    }
}

/// The mutable cursor and symbol tables of one parse.
struct ParserState {
    let tokens: [VNNLibToken]
    let fileName: String
    let options: VNNLibParser.Options
    var position = 0
    var version = Query.Version.v1
    var networks: [NetworkDeclaration] = []
    var assertions: [Assertion] = []
    /// VNN-LIB 1: `X_i`/`Y_i` → element reference, with the declaration's location.
    var scalarVariables: [String: (VariableReference, SourceLocation)] = [:]
    /// VNN-LIB 2: tensor name → (network, role, declaration index).
    var tensorVariables: [String: VariableReference] = [:]

    init(tokens: [VNNLibToken], fileName: String, options: VNNLibParser.Options) {
        self.tokens = tokens
        self.fileName = fileName
        self.options = options
    }

    // MARK: Cursor

    var peek: VNNLibToken? { position < tokens.count ? tokens[position] : nil }

    func peek(ahead k: Int) -> VNNLibToken? { position + k < tokens.count ? tokens[position + k] : nil }

    /// The location of the current token, or just past the last one at end of file.
    var here: SourceLocation {
        if let token = peek { return token.location }
        guard let last = tokens.last else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: last.location.line, column: last.location.column + last.text.unicodeScalars.count)
    }

    var foundDescription: String { peek.map { "'\($0.text)'" } ?? "end of file" }

    func error(_ problem: VNNLibError.Problem, at location: SourceLocation? = nil) -> VNNLibError {
        VNNLibError(file: fileName, location: location ?? here, problem: problem)
    }

    func syntaxError(expected: String) -> VNNLibError {
        error(.syntax(expected: expected, found: foundDescription))
    }

    /// Consumes `(`, returning its location.
    @discardableResult
    mutating func expectLeftParen() throws(VNNLibError) -> SourceLocation {
        guard let token = peek, token.kind == .leftParen else { throw syntaxError(expected: "'('") }
        position += 1
        return token.location
    }

    mutating func expectRightParen() throws(VNNLibError) {
        guard let token = peek, token.kind == .rightParen else { throw syntaxError(expected: "')'") }
        position += 1
    }

    mutating func expectKeyword(_ keyword: String) throws(VNNLibError) {
        guard let token = peek, token.isSymbol(keyword) else { throw syntaxError(expected: "'\(keyword)'") }
        position += 1
    }

    /// Consumes any symbol, returning its text and location.
    mutating func expectSymbol(_ what: String) throws(VNNLibError) -> (String, SourceLocation) {
        guard let token = peek, case .symbol(let name) = token.kind else { throw syntaxError(expected: what) }
        position += 1
        return (name, token.location)
    }

    /// True when the next tokens are `(` and the symbol `keyword`.
    func atForm(_ keyword: String) -> Bool {
        peek?.kind == .leftParen && peek(ahead: 1)?.isSymbol(keyword) == true
    }

    // MARK: Query

    mutating func parseQuery() throws(VNNLibError) -> Query {
        guard !tokens.isEmpty else { throw error(.emptyFile, at: SourceLocation(line: 1, column: 1)) }
        if atForm("vnnlib-version") {
            position += 2
            guard let token = peek, case .version(let major, let minor) = token.kind else {
                throw syntaxError(expected: "a version such as <2.0>")
            }
            guard major == 1 || major == 2 else { throw error(.unsupportedVersion(token.text)) }
            position += 1
            try expectRightParen()
            version = Query.Version(major: major, minor: minor)
        }
        if version.major >= 2 {
            try parseVersion2Body()
        } else {
            try parseVersion1Body()
        }
        return Query(fileName: fileName, version: version, networks: networks, assertions: assertions)
    }

    /// `(assert BOOL)` with the cursor on `(`.
    mutating func parseAssertion() throws(VNNLibError) {
        let location = try expectLeftParen()
        try expectKeyword("assert")
        let expression = try parseBool()
        try expectRightParen()
        assertions.append(Assertion(expression: expression, location: location))
    }
}
