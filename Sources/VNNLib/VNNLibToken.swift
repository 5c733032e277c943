/// One lexical token of a VNN-LIB file, with the place it starts.
public struct VNNLibToken: Sendable, Hashable {
    /// The token classes of VNN-LIB 1 and 2.
    public enum Kind: Sendable, Hashable {
        /// `(`
        case leftParen
        /// `)`
        case rightParen
        /// `[` (VNN-LIB 2 shapes and indices)
        case leftBracket
        /// `]`
        case rightBracket
        /// `,` (VNN-LIB 2 shapes and indices)
        case comma
        /// A numeric literal in any notation (`1`, `-1.5`, `+2`, `.5`, `1.`, `6.65e-05`).
        /// `isInteger` is true when the text is only an optional sign and digits.
        case number(Double, isInteger: Bool)
        /// Any other run of non-delimiter characters: keywords, variable names, operators (`<=`, `+`, `X_0`).
        case symbol(String)
        /// A double-quoted string (VNN-LIB 2 `declare-hidden` ONNX names), without its quotes.
        case string(String)
        /// A version literal `<M.m>` (VNN-LIB 2 `vnnlib-version`).
        case version(major: Int, minor: Int)
    }

    /// The class and value.
    public var kind: Kind
    /// The source text of the token (quotes and angle brackets included).
    public var text: String
    /// Where the token starts.
    public var location: SourceLocation

    /// A token from its parts.
    public init(kind: Kind, text: String, location: SourceLocation) {
        self.kind = kind
        self.text = text
        self.location = location
    }

    /// True when the token is the symbol `name`.
    @inlinable
    public func isSymbol(_ name: String) -> Bool {
        if case .symbol(let s) = kind { return s == name }
        return false
    }
}
