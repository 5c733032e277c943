import Testing

@testable import VNNLib

@Suite struct VNNLibTokenizerTests {
    func tokens(_ text: String) throws(VNNLibError) -> [VNNLibToken] {
        try VNNLibTokenizer(contents: text, fileName: "t").tokenize()
    }

    @Test func numberNotations() throws {
        let cases: [(String, Double, Bool)] = [
            ("1", 1, true), ("-1.5", -1.5, false), ("+2", 2, true), (".5", 0.5, false), ("1e-3", 0.001, false),
            ("6.65e-05", 6.65e-05, false), ("1.", 1, false), ("-.25", -0.25, false),
            ("0.029999999329447746", 0.029999999329447746, false),
            ("1E+2", 100, false), ("007", 7, true),
        ]
        for (text, value, isInteger) in cases {
            let t = try tokens(text)
            #expect(t.count == 1)
            #expect(t[0].kind == .number(value, isInteger: isInteger), "\(text)")
        }
    }

    @Test func invalidNumbers() {
        for text in ["1e", "1.2.3", "1e999", "-1x", "2..", "1e+"] {
            let error = vnnlibError { () throws(VNNLibError) in _ = try tokens(text) }
            #expect(error?.problem == .invalidNumber(text), "\(text)")
            #expect(error?.location == SourceLocation(line: 1, column: 1))
        }
    }

    @Test func symbolsOperatorsAndLocations() throws {
        let text = "; comment (ignored)\n(assert (<= X_0 -1))\n  (>= Y_12 .5) (< a b) (> a b) (== a b) (!= a b) (- X_0)"
        let t = try tokens(text)
        #expect(t[0].kind == .leftParen && t[0].location == SourceLocation(line: 2, column: 1))
        #expect(t[1].kind == .symbol("assert") && t[1].location == SourceLocation(line: 2, column: 2))
        #expect(t[3].kind == .symbol("<=") && t[3].location == SourceLocation(line: 2, column: 10))
        #expect(t[4].kind == .symbol("X_0") && t[4].location == SourceLocation(line: 2, column: 13))
        #expect(t[5].kind == .number(-1, isInteger: true) && t[5].location == SourceLocation(line: 2, column: 17))
        #expect(t[9].kind == .symbol(">=") && t[9].location == SourceLocation(line: 3, column: 4))
        #expect(t[10].kind == .symbol("Y_12"))
        let symbols = t.compactMap { if case .symbol(let s) = $0.kind { s } else { nil } }
        #expect(symbols.contains("<") && symbols.contains(">") && symbols.contains("==") && symbols.contains("!="))
        #expect(symbols.last == "X_0" && symbols.contains("-"))
    }

    @Test func version2Tokens() throws {
        let t = try tokens("(vnnlib-version <2.0>) (declare-hidden H float32 [1, 4] \"/a b\") X_f[0,2] (< 1 2)")
        #expect(t[2].kind == .version(major: 2, minor: 0) && t[2].text == "<2.0>")
        #expect(t.contains { $0.kind == .string("/a b") })
        let indexed = t.drop { !$0.isSymbol("X_f") }.prefix(6).map(\.kind)
        #expect(
            indexed == [
                .symbol("X_f"), .leftBracket, .number(0, isInteger: true), .comma, .number(2, isInteger: true),
                .rightBracket,
            ])
        #expect(t.contains { $0.isSymbol("<") })
    }

    @Test func unicodeColumnsAndUnterminatedString() {
        let error = vnnlibError { () throws(VNNLibError) in _ = try tokens("(é \"abc\n") }
        #expect(error?.problem == .unterminatedString)
        #expect(error?.location == SourceLocation(line: 1, column: 4))
    }

    @Test func nestingLimit() {
        let deep = String(repeating: "(", count: 5_000)
        let error = vnnlibError { () throws(VNNLibError) in
            _ = try VNNLibTokenizer(contents: deep, fileName: "t", maximumDepth: 1_000).tokenize()
        }
        #expect(error?.problem == .nestingTooDeep(limit: 1_000))
        #expect(error?.location == SourceLocation(line: 1, column: 1_001))
    }
}
