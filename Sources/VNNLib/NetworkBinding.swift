/// Where one network's declared tensors live in the flat input and output vectors of a ``Specification``.
public struct NetworkBinding: Sendable, Hashable {
    /// A declared tensor and the offset of its first element in the flat vector of its role.
    public struct Variable: Sendable, Hashable {
        /// The declaration (name, element type, shape).
        public var declaration: VariableDeclaration
        /// Offset of element 0 in ``Specification``'s input (or output) vector.
        public var offset: Int

        /// A binding from its parts.
        public init(declaration: VariableDeclaration, offset: Int) {
            self.declaration = declaration
            self.offset = offset
        }

        /// The flat positions `offset ..< offset + elementCount`.
        public var range: Range<Int> { offset..<(offset + declaration.elementCount) }
    }

    /// The network's name (`network` for VNN-LIB 1).
    public var name: String
    /// `equal-to` / `isomorphic-to`, if declared.
    public var equivalence: NetworkEquivalence?
    /// Inputs in ONNX positional order, with offsets into the input vector.
    public var inputs: [Variable]
    /// Hidden-node declarations (not part of the input or output vectors).
    public var hidden: [VariableDeclaration]
    /// The hidden nodes with offsets into the flat hidden vector (``Specification/hiddenCount``); empty unless the
    /// query was normalised with ``Query/NormalizationOptions/allowsHiddenNodes``.
    public var hiddenVariables: [Variable] = []
    /// Outputs in ONNX positional order, with offsets into the output vector.
    public var outputs: [Variable]

    /// A binding from its parts.
    public init(
        name: String, equivalence: NetworkEquivalence? = nil, inputs: [Variable], hidden: [VariableDeclaration] = [],
        outputs: [Variable]
    ) {
        self.name = name
        self.equivalence = equivalence
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
    }
}
