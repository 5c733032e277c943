/// One scalar element of a declared variable: `network`, role, declaration index within that role, and the
/// row-major element index.
public struct VariableReference: Sendable, Hashable, Comparable {
    /// Index of the network in ``Query/networks``.
    public var network: Int
    /// Input, hidden or output.
    public var role: VariableDeclaration.Role
    /// Index of the declaration among the network's declarations of that role.
    public var declaration: Int
    /// Row-major element index inside the tensor.
    public var element: Int

    /// A reference from its parts.
    public init(network: Int, role: VariableDeclaration.Role, declaration: Int, element: Int) {
        self.network = network
        self.role = role
        self.declaration = declaration
        self.element = element
    }

    /// Orders by role (inputs first), then network, declaration and element: the flat vector layout.
    public static func < (a: Self, b: Self) -> Bool {
        (a.role, a.network, a.declaration, a.element) < (b.role, b.network, b.declaration, b.element)
    }
}

/// An affine expression `Σ cᵢ·vᵢ + constant` over scalar variables. Zero coefficients are never stored.
public struct LinearExpression: Sendable, Hashable {
    /// Non-zero coefficients by variable.
    public private(set) var coefficients: [VariableReference: Double]
    /// The constant term.
    public var constant: Double

    /// The constant expression `value`.
    public init(constant value: Double) {
        coefficients = [:]
        constant = value
    }

    /// The expression `1·variable`.
    public init(variable: VariableReference) {
        coefficients = [variable: 1]
        constant = 0
    }

    /// An expression from its parts (zero coefficients are dropped).
    public init(coefficients: [VariableReference: Double], constant: Double) {
        self.coefficients = coefficients.filter { $0.value != 0 }
        self.constant = constant
    }

    /// True when no variable appears.
    public var isConstant: Bool { coefficients.isEmpty }

    /// `self + scale·other`.
    public func adding(_ other: LinearExpression, scaledBy scale: Double = 1) -> LinearExpression {
        var result = self
        result.constant += scale * other.constant
        for (variable, c) in other.coefficients {
            let sum = (result.coefficients[variable] ?? 0) + scale * c
            result.coefficients[variable] = sum == 0 ? nil : sum
        }
        return result
    }

    /// `factor·self` (a coefficient whose product underflows to zero is dropped; see
    /// ``underflows(whenScaledBy:)``).
    public func scaled(by factor: Double) -> LinearExpression {
        guard factor != 0 else { return LinearExpression(constant: 0) }
        var result = self
        result.constant *= factor
        for (variable, c) in coefficients {
            let product = c * factor
            result.coefficients[variable] = product == 0 ? nil : product
        }
        return result
    }

    /// True when `factor·self` loses a value to underflow: some non-zero coefficient or constant times a non-zero
    /// `factor` falls below `Double`'s normal range, where products are no longer accurate to the last bit (or
    /// vanish). The parser refuses such terms instead of silently changing the property.
    public func underflows(whenScaledBy factor: Double) -> Bool {
        guard factor != 0 else { return false }
        func lost(_ c: Double) -> Bool { c != 0 && abs(c * factor) < Double.leastNormalMagnitude }
        return lost(constant) || coefficients.values.contains(where: lost)
    }
}

/// The relations of VNN-LIB comparisons.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case lessEqual = "<="
    case greaterEqual = ">="
    case less = "<"
    case greater = ">"
    case equal = "=="
    case notEqual = "!="
}

/// `lhs op rhs`, with the place of its opening parenthesis.
public struct Comparison: Sendable, Hashable {
    /// The relation.
    public var op: ComparisonOperator
    /// Left side.
    public var lhs: LinearExpression
    /// Right side.
    public var rhs: LinearExpression
    /// Where the comparison starts.
    public var location: SourceLocation

    /// A comparison from its parts.
    public init(_ op: ComparisonOperator, _ lhs: LinearExpression, _ rhs: LinearExpression, location: SourceLocation) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.location = location
    }
}

/// A Boolean formula of an assertion: `and`/`or` trees over comparisons (VNN-LIB has no `not`).
public indirect enum BoolExpression: Sendable, Hashable {
    case and([BoolExpression])
    case or([BoolExpression])
    case comparison(Comparison)
}

/// One `(assert …)`.
public struct Assertion: Sendable, Hashable {
    /// The asserted formula.
    public var expression: BoolExpression
    /// Where the `(assert` is.
    public var location: SourceLocation

    /// An assertion from its parts.
    public init(expression: BoolExpression, location: SourceLocation) {
        self.expression = expression
        self.location = location
    }
}
