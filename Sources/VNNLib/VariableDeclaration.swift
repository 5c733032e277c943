/// A declared tensor variable: a network input, hidden node or output.
///
/// VNN-LIB 1 files are represented as one network whose input `X` and output `Y` are `real` vectors with
/// one element per declared `X_i` / `Y_i`.
public struct VariableDeclaration: Sendable, Hashable {
    /// The role of a variable in its network.
    public enum Role: Int, Sendable, Hashable, Comparable {
        case input, hidden, output
        /// Declaration order inside a network: inputs, hidden nodes, outputs.
        public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
    }

    /// The variable's name (`X`, `X_f`, …).
    public var name: String
    /// Input, hidden or output.
    public var role: Role
    /// The declared element type.
    public var elementType: ElementType
    /// The tensor shape; `[]` is a scalar.
    public var shape: [Int]
    /// For hidden variables, the ONNX tensor (node output) they name.
    public var onnxName: String?
    /// VNN-LIB 2.1 `initialized` keyword on an input.
    public var isInitialized: Bool
    /// Where the declaration is.
    public var location: SourceLocation

    /// A declaration from its parts.
    public init(
        name: String, role: Role, elementType: ElementType, shape: [Int], onnxName: String? = nil,
        isInitialized: Bool = false, location: SourceLocation = SourceLocation(line: 0, column: 0)
    ) {
        self.name = name
        self.role = role
        self.elementType = elementType
        self.shape = shape
        self.onnxName = onnxName
        self.isInitialized = isInitialized
        self.location = location
    }

    /// Equality ignores ``location``, so that the same declaration written in two files compares equal.
    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.role == b.role && a.elementType == b.elementType && a.shape == b.shape
            && a.onnxName == b.onnxName && a.isInitialized == b.isInitialized
    }

    /// Hashes the fields compared by `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(role)
        hasher.combine(elementType)
        hasher.combine(shape)
        hasher.combine(onnxName)
        hasher.combine(isInitialized)
    }

    /// Number of scalar elements (the product of the shape; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// The multi-index of flat (row-major) element `flat`.
    public func multiIndex(ofElement flat: Int) -> [Int] {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    /// The source spelling of element `element`: `X_3` in VNN-LIB 1 (`style` 1), `X[0,3]` or `X` (a scalar) in 2.
    public func elementName(_ element: Int, style: Int) -> String {
        if style < 2 { return "\(name)_\(element)" }
        if shape.isEmpty { return name }
        return "\(name)[\(multiIndex(ofElement: element).map(String.init).joined(separator: ","))]"
    }

    /// The row-major flat position of `index`, or nil when it has the wrong rank or is out of range.
    public func flatIndex(of index: [Int]) -> Int? {
        guard index.count == shape.count else { return nil }
        var flat = 0
        for (i, dim) in zip(index, shape) {
            guard i >= 0 && i < dim else { return nil }
            flat = flat * dim + i
        }
        return flat
    }
}

/// `equal-to` / `isomorphic-to` between VNN-LIB 2 networks.
public enum NetworkEquivalence: Sendable, Hashable {
    /// The same model file as the named network.
    case equalTo(String)
    /// The same graph structure as the named network, with different weights.
    case isomorphicTo(String)

    /// The network it refers to.
    public var target: String {
        switch self {
        case .equalTo(let n), .isomorphicTo(let n): return n
        }
    }
}

/// One `declare-network` (or the implicit single network of a VNN-LIB 1 file).
public struct NetworkDeclaration: Sendable, Hashable {
    /// The network's name (`network` for VNN-LIB 1 files).
    public var name: String
    /// Optional equivalence to an earlier network.
    public var equivalence: NetworkEquivalence?
    /// Inputs, in ONNX positional order.
    public var inputs: [VariableDeclaration]
    /// Hidden nodes.
    public var hidden: [VariableDeclaration]
    /// Outputs, in ONNX positional order.
    public var outputs: [VariableDeclaration]
    /// Where the declaration is.
    public var location: SourceLocation

    /// A network declaration from its parts.
    public init(
        name: String, equivalence: NetworkEquivalence? = nil, inputs: [VariableDeclaration],
        hidden: [VariableDeclaration] = [], outputs: [VariableDeclaration],
        location: SourceLocation = SourceLocation(line: 0, column: 0)
    ) {
        self.name = name
        self.equivalence = equivalence
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.location = location
    }

    /// The declarations of one role.
    public func declarations(_ role: VariableDeclaration.Role) -> [VariableDeclaration] {
        switch role {
        case .input: return inputs
        case .hidden: return hidden
        case .output: return outputs
        }
    }
}
