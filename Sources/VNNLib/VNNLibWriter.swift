/// Writes a ``Specification`` back as VNN-LIB text.
///
/// Parsing the text again gives an equal ``Specification`` (tested round trip). Numbers are written as plain
/// decimals with the shortest digits that round-trip (no exponent, always a `.`), which both VNN-LIB 1 tools
/// and the VNN-LIB 2 grammar accept. A single case is written as box asserts plus one `(or (and …) …)`; several
/// cases (or input constraints) as one `(or (and box… rows…) …)` over every (case, disjunct) pair.
public enum VNNLibWriter {
    /// VNN-LIB 1 text (`declare-const X_i Real`, …). Needs a single network with one input and one output.
    /// - Throws: `unsupportedConstruct` for several networks or tensors, or hidden nodes.
    public static func version1(_ specification: Specification) throws(VNNLibError) -> String {
        guard specification.networks.count == 1, let network = specification.networks.first,
            network.inputs.count == 1, network.outputs.count == 1, network.hidden.isEmpty
        else {
            throw VNNLibError(
                file: "<writer>", location: SourceLocation(line: 0, column: 0),
                problem: .unsupportedConstruct("VNN-LIB 1 needs one network with one input and one output tensor"))
        }
        var text = "; VNN-LIB 1 property written by nncert\n"
        for i in 0..<specification.inputCount { text += "(declare-const X_\(i) Real)\n" }
        for i in 0..<specification.outputCount { text += "(declare-const Y_\(i) Real)\n" }
        text += assertions(specification, style: 1)
        return text
    }

    /// VNN-LIB 2.0 text with `declare-network` blocks (any number of networks, tensors and hidden nodes).
    public static func version2(_ specification: Specification) -> String {
        var text = "(vnnlib-version <2.0>)\n"
        for network in specification.networks {
            text += "(declare-network \(network.name)\n"
            switch network.equivalence {
            case .equalTo(let other): text += "    (equal-to \(other))\n"
            case .isomorphicTo(let other): text += "    (isomorphic-to \(other))\n"
            case nil: break
            }
            for tensor in network.inputs {
                let d = tensor.declaration
                text += "    (declare-input \(d.name) \(d.elementType.rawValue) \(shape(d.shape))"
                text += d.isInitialized ? " initialized)\n" : ")\n"
            }
            for d in network.hidden {
                text +=
                    "    (declare-hidden \(d.name) \(d.elementType.rawValue) \(shape(d.shape)) \"\(d.onnxName ?? "")\")\n"
            }
            for tensor in network.outputs {
                let d = tensor.declaration
                text += "    (declare-output \(d.name) \(d.elementType.rawValue) \(shape(d.shape)))\n"
            }
            text += ")\n"
        }
        text += assertions(specification, style: 2)
        return text
    }

    /// Text in the specification's own version: VNN-LIB 1 for a version-1 specification, 2.0 otherwise.
    public static func text(of specification: Specification) -> String {
        guard specification.version.major < 2, let text = try? version1(specification) else {
            return version2(specification)
        }
        return text
    }

    private static func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    /// The assertions of both versions; only variable names differ.
    private static func assertions(_ specification: Specification, style: Int) -> String {
        let inputName = { (i: Int) in specification.elementName(i, role: .input, style: style) }
        let outputName = { (i: Int) in specification.elementName(i, role: .output, style: style) }
        let cases = specification.cases
        guard !cases.isEmpty else { return "; no case can be violated\n(assert (<= 1.0 0.0))\n" }
        // The proof box's bounds, strict where the region's bound at the same value is open.
        func boxComparisons(_ box: PropertyCase) -> [String] {
            let region = box.inputRegion
            return (0..<box.inputBox.dimension).flatMap { i in
                let upperOpen = region.upperIsOpen[i] && region.upper[i] == box.inputBox.upper[i]
                let lowerOpen = region.lowerIsOpen[i] && region.lower[i] == box.inputBox.lower[i]
                return [
                    "(\(upperOpen ? "<" : "<=") \(inputName(i)) \(decimal(box.inputBox.upper[i])))",
                    "(\(lowerOpen ? ">" : ">=") \(inputName(i)) \(decimal(box.inputBox.lower[i])))",
                ]
            }
        }
        func rows(_ polytope: OutputPolytope) -> [String] {
            (0..<polytope.rowCount).map { comparison(polytope.row($0), name: outputName) }
        }
        var text = ""
        let only = cases[0]
        if cases.count == 1, only.inputConstraints.isEmpty, only.disjuncts.allSatisfy({ $0.rowCount > 0 }) {
            for c in boxComparisons(only) { text += "(assert \(c))\n" }
            if only.disjuncts.count == 1 {
                for r in rows(only.disjuncts[0]) { text += "(assert \(r))\n" }
            } else {
                text += "(assert (or\n"
                for polytope in only.disjuncts { text += "    (and \(rows(polytope).joined(separator: " ")))\n" }
                text += "))\n"
            }
            return text
        }
        text += "(assert (or\n"
        for propertyCase in cases {
            let inputPart =
                boxComparisons(propertyCase)
                + propertyCase.inputConstraints.map { comparison($0, name: inputName) }
            for polytope in propertyCase.disjuncts {
                text += "    (and \((inputPart + rows(polytope)).joined(separator: " ")))\n"
            }
        }
        return text + "))\n"
    }

    /// `(<= Σ cᵢ·vᵢ d)` (or `<` when strict).
    private static func comparison(_ row: LinearConstraint, name: (Int) -> String) -> String {
        var terms: [String] = []
        for (i, c) in row.coefficients.enumerated() where c != 0 {
            terms.append(c == 1 ? name(i) : "(* \(decimal(c)) \(name(i)))")
        }
        let lhs: String
        switch terms.count {
        case 0: lhs = "0.0"
        case 1: lhs = terms[0]
        default: lhs = "(+ \(terms.joined(separator: " ")))"
        }
        return "(\(row.isStrict ? "<" : "<=") \(lhs) \(decimal(row.bound)))"
    }

    /// The shortest round-trip digits of `value` as a plain decimal with a `.` (no exponent).
    static func decimal(_ value: Double) -> String {
        let text = value.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.contains(".") ? text : text + ".0"
        }
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = integer + fraction
        var point = integer.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        } else if point >= digits.count {
            digits += String(repeating: "0", count: point - digits.count + 1)
        }
        let split = digits.index(digits.startIndex, offsetBy: point)
        var fractionPart = String(digits[split...])
        while fractionPart.count > 1 && fractionPart.hasSuffix("0") { fractionPart.removeLast() }
        return (negative ? "-" : "") + digits[..<split] + "." + fractionPart
    }
}
