extension ParserState {
    /// `NetworkDef+ Assertion*` after `(vnnlib-version <2.x>)`.
    mutating func parseVersion2Body() throws(VNNLibError) {
        guard atForm("declare-network") else { throw syntaxError(expected: "'(declare-network'") }
        while atForm("declare-network") { try parseNetwork() }
        while peek != nil {
            guard atForm("assert") else {
                if atForm("declare-network") {
                    throw error(
                        .unsupportedConstruct("declare-network after an assertion"), at: peek(ahead: 1)?.location)
                }
                throw syntaxError(expected: "'(assert'")
            }
            try parseAssertion()
        }
    }

    /// `(declare-network NAME Equiv? InputDef+ HiddenDef* OutputDef+)`.
    mutating func parseNetwork() throws(VNNLibError) {
        let location = try expectLeftParen()
        try expectKeyword("declare-network")
        let (name, nameLocation) = try expectSymbol("a network name")
        guard !networks.contains(where: { $0.name == name }) else {
            throw error(.duplicateDeclaration(name), at: nameLocation)
        }
        var network = NetworkDeclaration(name: name, inputs: [], outputs: [], location: location)
        if atForm("equal-to") || atForm("isomorphic-to") {
            let isEqual = peek(ahead: 1)?.isSymbol("equal-to") == true
            position += 2
            let (target, targetLocation) = try expectSymbol("a network name")
            try expectRightParen()
            guard let other = networks.first(where: { $0.name == target }) else {
                throw error(.invalidEquivalence("no earlier network named \(target)"), at: targetLocation)
            }
            guard other.equivalence == nil else {
                throw error(
                    .invalidEquivalence("\(target) is itself declared equivalent to another network"),
                    at: targetLocation)
            }
            network.equivalence = isEqual ? .equalTo(target) : .isomorphicTo(target)
        }
        let index = networks.count
        networks.append(network)
        while peek?.kind == .leftParen {
            guard let head = peek(ahead: 1), case .symbol(let keyword) = head.kind else { break }
            let role: VariableDeclaration.Role
            switch keyword {
            case "declare-input": role = .input
            case "declare-hidden": role = .hidden
            case "declare-output": role = .output
            default:
                position += 1
                throw syntaxError(expected: "'declare-input', 'declare-hidden' or 'declare-output'")
            }
            position += 2
            try parseVariableDeclaration(role: role, network: index)
        }
        let declared = networks[index]
        if declared.inputs.isEmpty { throw syntaxError(expected: "'(declare-input' in network \(name)") }
        if declared.outputs.isEmpty { throw syntaxError(expected: "'(declare-output' in network \(name)") }
        try expectRightParen()
        try checkEquivalence(of: declared)
    }

    /// `NAME TYPE SHAPE [initialized | "onnx-name"] )` after `(declare-input|hidden|output`.
    mutating func parseVariableDeclaration(role: VariableDeclaration.Role, network: Int) throws(VNNLibError) {
        let (name, location) = try expectSymbol("a variable name")
        guard tensorVariables[name] == nil, !networks.contains(where: { $0.name == name }) else {
            throw error(.duplicateDeclaration(name), at: location)
        }
        let (typeName, typeLocation) = try expectSymbol("an element type")
        guard let elementType = ElementType(name: typeName) else {
            throw error(.unknownElementType(typeName), at: typeLocation)
        }
        let shapeLocation = here
        let shape = try parseIntegerList(what: "a dimension")
        var count = 1
        for dim in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= options.maximumElementCount else {
                throw error(
                    .unsupportedConstruct("shape \(shape) with more than \(options.maximumElementCount) elements"),
                    at: shapeLocation)
            }
            count = product
        }
        var declaration = VariableDeclaration(
            name: name, role: role, elementType: elementType, shape: shape, location: location)
        if role == .hidden {
            guard let token = peek, case .string(let onnxName) = token.kind else {
                throw syntaxError(expected: "the quoted ONNX name of the hidden node")
            }
            position += 1
            declaration.onnxName = onnxName
        } else if role == .input, peek?.isSymbol("initialized") == true {
            position += 1
            declaration.isInitialized = true
        }
        try expectRightParen()
        var declarations = networks[network]
        let reference = VariableReference(
            network: network, role: role, declaration: declarations.declarations(role).count, element: 0)
        switch role {
        case .input: declarations.inputs.append(declaration)
        case .hidden: declarations.hidden.append(declaration)
        case .output: declarations.outputs.append(declaration)
        }
        networks[network] = declarations
        tensorVariables[name] = reference
    }

    /// `equal-to` needs identical inputs/outputs up to names; `isomorphic-to` up to names and element types.
    func checkEquivalence(of network: NetworkDeclaration) throws(VNNLibError) {
        guard let equivalence = network.equivalence,
            let other = networks.first(where: { $0.name == equivalence.target })
        else { return }
        let sameTypes: Bool
        if case .equalTo = equivalence { sameTypes = true } else { sameTypes = false }
        for role in [VariableDeclaration.Role.input, .output] {
            let mine = network.declarations(role)
            let theirs = other.declarations(role)
            guard mine.count == theirs.count else {
                throw error(
                    .invalidEquivalence(
                        "\(network.name) has \(mine.count) \(role)s, \(other.name) has \(theirs.count)"),
                    at: network.location)
            }
            for (a, b) in zip(mine, theirs) where a.shape != b.shape || (sameTypes && a.elementType != b.elementType) {
                throw error(
                    .invalidEquivalence(
                        "\(a.name) \(a.elementType) \(a.shape) does not match \(b.name) \(b.elementType) \(b.shape)"),
                    at: a.location)
            }
        }
    }
}
