/// Splits VNN-LIB text into tokens, recording the line and column of each.
///
/// Delimiters are whitespace, `(`, `)`, `[`, `]`, `,`, `;` (a comment to the end of the line) and `"` (a string).
/// Every other run of bytes is a number when it starts like one (`[+-]? (digit | '.' digit)`) and a symbol
/// otherwise; a run that starts like a number but does not parse is an error. `<` directly followed by a digit
/// starts a version literal `<M.m>`. Nesting of parentheses and brackets is limited to `maximumDepth`, so that
/// the recursive-descent parser never overflows the stack. Complexity: O(bytes).
public struct VNNLibTokenizer: Sendable {
    /// The default nesting limit (real files nest at most 5 levels).
    public static let defaultMaximumDepth = 1_000

    private let bytes: [UInt8]
    private let fileName: String
    private let maximumDepth: Int

    /// A tokenizer over `contents`.
    /// - Parameters:
    ///   - contents: the file text.
    ///   - fileName: the name used in error messages.
    ///   - maximumDepth: the deepest nesting of `(`/`[` accepted.
    public init(contents: String, fileName: String, maximumDepth: Int = VNNLibTokenizer.defaultMaximumDepth) {
        self.bytes = Array(contents.utf8)
        self.fileName = fileName
        self.maximumDepth = maximumDepth
    }

    /// All tokens of the text, in order.
    public func tokenize() throws(VNNLibError) -> [VNNLibToken] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(VNNLibError) -> [VNNLibToken] in try tokenize(buffer) }
    }

    private func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) throws(VNNLibError) -> [VNNLibToken] {
        var tokens: [VNNLibToken] = []
        tokens.reserveCapacity(bytes.count / 4)
        var i = 0
        var line = 1
        var column = 1
        var depth = 0
        let n = bytes.count

        func fail(_ problem: VNNLibError.Problem, _ l: Int, _ c: Int) -> VNNLibError {
            VNNLibError(file: fileName, location: SourceLocation(line: l, column: c), problem: problem)
        }

        while i < n {
            let b = bytes[i]
            let here = SourceLocation(line: line, column: column)
            switch b {
            case UInt8(ascii: "\n"):
                line += 1
                column = 1
                i += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                i += 1
                column += 1
                continue
            case UInt8(ascii: ";"):
                while i < n && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            case UInt8(ascii: "("), UInt8(ascii: "["):
                depth += 1
                if depth > maximumDepth { throw fail(.nestingTooDeep(limit: maximumDepth), line, column) }
                let open = b == UInt8(ascii: "(")
                tokens.append(
                    VNNLibToken(kind: open ? .leftParen : .leftBracket, text: open ? "(" : "[", location: here))
                i += 1
                column += 1
                continue
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                depth = Swift.max(0, depth - 1)
                let close = b == UInt8(ascii: ")")
                tokens.append(
                    VNNLibToken(kind: close ? .rightParen : .rightBracket, text: close ? ")" : "]", location: here))
                i += 1
                column += 1
                continue
            case UInt8(ascii: ","):
                tokens.append(VNNLibToken(kind: .comma, text: ",", location: here))
                i += 1
                column += 1
                continue
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < n && bytes[j] != UInt8(ascii: "\"") && bytes[j] != UInt8(ascii: "\n") { j += 1 }
                guard j < n && bytes[j] == UInt8(ascii: "\"") else { throw fail(.unterminatedString, line, column) }
                let text = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                tokens.append(VNNLibToken(kind: .string(text), text: "\"\(text)\"", location: here))
                column += Self.scalarCount(bytes[i...j])
                i = j + 1
                continue
            default:
                break
            }
            if b == UInt8(ascii: "<"), i + 1 < n, Self.isDigit(bytes[i + 1]),
                let (end, major, minor) = Self.scanVersion(bytes, at: i)
            {
                tokens.append(
                    VNNLibToken(
                        kind: .version(major: major, minor: minor),
                        text: String(decoding: bytes[i..<end], as: UTF8.self), location: here))
                column += end - i
                i = end
                continue
            }
            var j = i
            var continuationBytes = 0
            while j < n && !Self.isDelimiter(bytes[j]) {
                if bytes[j] & 0xC0 == 0x80 { continuationBytes += 1 }
                j += 1
            }
            let run = bytes[i..<j]
            let text = String(decoding: run, as: UTF8.self)
            if Self.startsNumber(run) {
                guard let (value, isInteger) = Self.parseNumber(run) else {
                    throw fail(.invalidNumber(text), line, column)
                }
                tokens.append(VNNLibToken(kind: .number(value, isInteger: isInteger), text: text, location: here))
            } else {
                tokens.append(VNNLibToken(kind: .symbol(text), text: text, location: here))
            }
            column += j - i - continuationBytes
            i = j
        }
        return tokens
    }

    /// Scans `<digits.digits>` at `start`; nil when the bytes are not a version literal.
    private static func scanVersion(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (
        end: Int, major: Int, minor: Int
    )? {
        var j = start + 1
        func digits() -> Int? {
            var value = 0
            let first = j
            while j < bytes.count, isDigit(bytes[j]), j - first < 9 {
                value = value * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                j += 1
            }
            return j > first ? value : nil
        }
        guard let major = digits(), j < bytes.count, bytes[j] == UInt8(ascii: ".") else { return nil }
        j += 1
        guard let minor = digits(), j < bytes.count, bytes[j] == UInt8(ascii: ">") else { return nil }
        return (j + 1, major, minor)
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    @inline(__always) static func isDelimiter(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C,
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
            UInt8(ascii: ";"), UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }

    /// Number of Unicode scalars in UTF-8 bytes (continuation bytes do not count).
    static func scalarCount(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
        var count = 0
        for b in run where b & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// True when `run` starts like a number: an optional sign, then a digit or `.` and a digit.
    static func startsNumber(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var k = run.startIndex
        if k < run.endIndex && (run[k] == UInt8(ascii: "+") || run[k] == UInt8(ascii: "-")) { k += 1 }
        guard k < run.endIndex else { return false }
        if isDigit(run[k]) { return true }
        return run[k] == UInt8(ascii: ".") && k + 1 < run.endIndex && isDigit(run[k + 1])
    }

    /// Parses `[+-]? (digits ('.' digits*)? | '.' digits) ([eE] [+-]? digits)?`; nil unless the whole run
    /// matches and the value is finite.
    static func parseNumber(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> (Double, Bool)? {
        var k = run.startIndex
        let end = run.endIndex
        if k < end && (run[k] == UInt8(ascii: "+") || run[k] == UInt8(ascii: "-")) { k += 1 }
        var mantissaDigits = 0
        while k < end && isDigit(run[k]) { k += 1; mantissaDigits += 1 }
        var isInteger = true
        if k < end && run[k] == UInt8(ascii: ".") {
            isInteger = false
            k += 1
            while k < end && isDigit(run[k]) { k += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if k < end && (run[k] == UInt8(ascii: "e") || run[k] == UInt8(ascii: "E")) {
            isInteger = false
            k += 1
            if k < end && (run[k] == UInt8(ascii: "+") || run[k] == UInt8(ascii: "-")) { k += 1 }
            var exponentDigits = 0
            while k < end && isDigit(run[k]) { k += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        guard k == end, let value = Double(String(decoding: run, as: UTF8.self)), value.isFinite else { return nil }
        return (value, isInteger)
    }
}
