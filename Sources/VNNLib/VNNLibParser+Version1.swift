extension ParserState {
    /// VNN-LIB 1 statements: `declare-const`, `declare-fun`, `assert` (and the SMT-LIB no-ops `check-sat`,
    /// `get-model`, `exit`, `set-logic`), in any order; variables must be declared before use.
    mutating func parseVersion1Body() throws(VNNLibError) {
        var declared: [VariableDeclaration.Role: [(index: Int, location: SourceLocation)]] = [.input: [], .output: []]
        while peek != nil {
            guard peek?.kind == .leftParen, let head = peek(ahead: 1) else {
                throw syntaxError(expected: "'(' starting a declaration or assertion")
            }
            switch head.kind {
            case .symbol("declare-const"), .symbol("declare-fun"):
                let isFunction = head.isSymbol("declare-fun")
                position += 2
                let (name, location) = try expectSymbol("a variable name")
                if isFunction {
                    try expectLeftParen()
                    try expectRightParen()
                }
                let (type, typeLocation) = try expectSymbol("'Real'")
                guard type == "Real" || type == "real" else {
                    throw error(
                        .unsupportedConstruct("variable type '\(type)' (VNN-LIB 1 supports Real)"), at: typeLocation)
                }
                try expectRightParen()
                let (role, index) = try version1Variable(name, at: location)
                guard scalarVariables[name] == nil else { throw error(.duplicateDeclaration(name), at: location) }
                let reference = VariableReference(network: 0, role: role, declaration: 0, element: index)
                scalarVariables[name] = (reference, location)
                declared[role, default: []].append((index, location))
            case .symbol("assert"):
                try parseAssertion()
            case .symbol("check-sat"), .symbol("get-model"), .symbol("exit"):
                position += 2
                try expectRightParen()
            case .symbol("set-logic"):
                position += 2
                _ = try expectSymbol("a logic name")
                try expectRightParen()
            default:
                position += 1
                throw syntaxError(expected: "'declare-const', 'declare-fun' or 'assert'")
            }
        }
        var declarations: [VariableDeclaration.Role: VariableDeclaration] = [:]
        for role in [VariableDeclaration.Role.input, .output] {
            let entries = declared[role] ?? []
            let letter = role == .input ? "X" : "Y"
            for entry in entries where entry.index >= entries.count {
                throw error(
                    .indexOutOfRange(
                        variable: "\(letter)_\(entry.index)", index: [entry.index], shape: [entries.count]),
                    at: entry.location)
            }
            declarations[role] = VariableDeclaration(
                name: letter, role: role, elementType: .real, shape: [entries.count],
                location: entries.first?.location ?? SourceLocation(line: 1, column: 1))
        }
        networks = [
            NetworkDeclaration(
                name: "network", inputs: [declarations[.input]!], outputs: [declarations[.output]!],
                location: SourceLocation(line: 1, column: 1))
        ]
    }

    /// Splits `X_12` into (input, 12) and `Y_3` into (output, 3).
    func version1Variable(_ name: String, at location: SourceLocation) throws(VNNLibError) -> (
        VariableDeclaration.Role, Int
    ) {
        let utf8 = Array(name.utf8)
        let letter = utf8.first
        guard utf8.count >= 3, utf8.count <= 11, letter == UInt8(ascii: "X") || letter == UInt8(ascii: "Y"),
            utf8[1] == UInt8(ascii: "_"), utf8[2...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            throw error(
                .unsupportedConstruct("variable name '\(name)' (VNN-LIB 1 variables are X_i and Y_i)"), at: location)
        }
        let index = utf8[2...].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return (letter == UInt8(ascii: "X") ? .input : .output, index)
    }
}
