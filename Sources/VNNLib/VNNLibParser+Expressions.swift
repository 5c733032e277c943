extension ParserState {
    /// `(and B+) | (or B+) | (OP A A)`. Recursion depth is bounded by the tokenizer's nesting limit.
    mutating func parseBool() throws(VNNLibError) -> BoolExpression {
        let location = try expectLeftParen()
        guard let head = peek, case .symbol(let name) = head.kind else {
            throw syntaxError(expected: "'and', 'or' or a comparison operator")
        }
        position += 1
        switch name {
        case "and", "or":
            var operands: [BoolExpression] = []
            while peek?.kind != .rightParen {
                guard peek != nil else { throw syntaxError(expected: "')'") }
                operands.append(try parseBool())
            }
            guard !operands.isEmpty else { throw syntaxError(expected: "an operand of '\(name)'") }
            position += 1
            return name == "and" ? .and(operands) : .or(operands)
        case "not", "=>", "xor", "ite", "distinct":
            throw error(.unsupportedConstruct("'\(name)'"), at: head.location)
        default:
            let op: ComparisonOperator
            switch name {
            case "<=": op = .lessEqual
            case ">=": op = .greaterEqual
            case "<": op = .less
            case ">": op = .greater
            case "==", "=": op = .equal
            case "!=": op = .notEqual
            default:
                position -= 1
                throw syntaxError(expected: "'and', 'or' or a comparison operator")
            }
            let lhs = try parseTerm()
            let rhs = try parseTerm()
            try expectRightParen()
            return .comparison(Comparison(op, lhs, rhs, location: location))
        }
    }

    /// `NAME | NAME[i,…] | NUMBER | (+ A+) | (- A+) | (* A+)`, folded into a linear expression.
    mutating func parseTerm() throws(VNNLibError) -> LinearExpression {
        guard let token = peek else { throw syntaxError(expected: "a term") }
        switch token.kind {
        case .number(let value, _):
            position += 1
            return LinearExpression(constant: value)
        case .symbol(let name):
            position += 1
            return LinearExpression(variable: try resolveVariable(name, at: token.location))
        case .leftParen:
            position += 1
            guard let head = peek, case .symbol(let op) = head.kind, op == "+" || op == "-" || op == "*" else {
                if let head = peek, case .symbol(let op) = head.kind, op == "/" || op == "abs" || op == "max" {
                    throw error(.unsupportedConstruct("'\(op)'"), at: head.location)
                }
                throw syntaxError(expected: "'+', '-' or '*'")
            }
            position += 1
            var operands: [LinearExpression] = []
            while peek?.kind != .rightParen {
                guard peek != nil else { throw syntaxError(expected: "')'") }
                operands.append(try parseTerm())
            }
            guard let first = operands.first else { throw syntaxError(expected: "an operand of '\(op)'") }
            position += 1
            switch op {
            case "+":
                return operands.dropFirst().reduce(first) { $0.adding($1) }
            case "-":
                if operands.count == 1 { return first.scaled(by: -1) }
                return operands.dropFirst().reduce(first) { $0.adding($1, scaledBy: -1) }
            default:
                var product = first
                for factor in operands.dropFirst() {
                    let (expression, scale): (LinearExpression, Double)
                    if product.isConstant {
                        (expression, scale) = (factor, product.constant)
                    } else if factor.isConstant {
                        (expression, scale) = (product, factor.constant)
                    } else {
                        throw error(.nonLinearTerm, at: token.location)
                    }
                    if expression.underflows(whenScaledBy: scale) {
                        throw error(.arithmeticUnderflow, at: token.location)
                    }
                    product = expression.scaled(by: scale)
                }
                return product
            }
        default:
            throw syntaxError(expected: "a term")
        }
    }

    /// Resolves a variable name (and, in VNN-LIB 2, a following `[i, j, …]` index) to one scalar element.
    mutating func resolveVariable(_ name: String, at location: SourceLocation) throws(VNNLibError) -> VariableReference
    {
        if version.major < 2 {
            guard let (reference, _) = scalarVariables[name] else {
                throw error(.undeclaredVariable(name), at: location)
            }
            return reference
        }
        guard var reference = tensorVariables[name] else { throw error(.undeclaredVariable(name), at: location) }
        let declaration = networks[reference.network].declarations(reference.role)[reference.declaration]
        var index: [Int] = []
        if peek?.kind == .leftBracket {
            index = try parseIntegerList(what: "an index")
        }
        guard let flat = declaration.flatIndex(of: index) else {
            throw error(.indexOutOfRange(variable: name, index: index, shape: declaration.shape), at: location)
        }
        reference.element = flat
        return reference
    }

    /// `[n, n, …]` or `[]` of non-negative integers (shapes and indices).
    mutating func parseIntegerList(what: String) throws(VNNLibError) -> [Int] {
        guard peek?.kind == .leftBracket else { throw syntaxError(expected: "'['") }
        position += 1
        var values: [Int] = []
        if peek?.kind == .rightBracket {
            position += 1
            return values
        }
        while true {
            guard let token = peek, case .number(let value, true) = token.kind, value >= 0, value < 1e15 else {
                throw syntaxError(expected: "\(what) (a non-negative integer)")
            }
            values.append(Int(value))
            position += 1
            if peek?.kind == .comma {
                position += 1
                continue
            }
            guard peek?.kind == .rightBracket else { throw syntaxError(expected: "',' or ']'") }
            position += 1
            return values
        }
    }
}
