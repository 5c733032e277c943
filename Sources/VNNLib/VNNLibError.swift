/// A position in a VNN-LIB source file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number; 0 when the location is unknown (e.g. an unreadable file).
    public var line: Int
    /// 1-based column number; 0 when the location is unknown.
    public var column: Int

    /// A location from its line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// Every failure of the VNN-LIB tokenizer, parser, normaliser and writer.
///
/// `description` is one line, `file:line:column: message`, in the style of compiler diagnostics.
public struct VNNLibError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Sendable, Hashable {
        /// The file could not be read (missing, a directory, permissions).
        case unreadableFile(reason: String)
        /// The file holds no tokens (only whitespace and comments).
        case emptyFile
        /// A token other than the one the grammar requires.
        case syntax(expected: String, found: String)
        /// A token that starts like a number but is not one (`1e`, `1.2.3`, `1e999`).
        case invalidNumber(String)
        /// A string literal without its closing quote.
        case unterminatedString
        /// More nested parentheses or brackets than the parser accepts.
        case nestingTooDeep(limit: Int)
        /// A variable used without (or before) its declaration.
        case undeclaredVariable(String)
        /// A variable or network declared twice.
        case duplicateDeclaration(String)
        /// An index outside a variable's shape (or, in VNN-LIB 1, a gap in the `X_i`/`Y_i` numbering).
        case indexOutOfRange(variable: String, index: [Int], shape: [Int])
        /// An element type that is not an ONNX type name or `real`.
        case unknownElementType(String)
        /// A `vnnlib-version` this parser does not implement.
        case unsupportedVersion(String)
        /// An `equal-to`/`isomorphic-to` declaration that is inconsistent (unknown target, chain, shape mismatch).
        case invalidEquivalence(String)
        /// A product of two non-constant terms.
        case nonLinearTerm
        /// A product whose value falls below `Double`'s normal range (it would be inexact or vanish).
        case arithmeticUnderflow
        /// An input variable without a finite lower or upper bound in some case of the property.
        case unboundedInput(String)
        /// A construct the normal form cannot express (named in the payload).
        case unsupportedConstruct(String)
        /// The disjunctive normal form would have more terms than the limit.
        case tooManyDisjuncts(limit: Int)
        /// The disjunctive normal form would hold more than `limit` comparisons (terms × comparisons).
        case normalFormTooLarge(limit: Int)
    }

    /// The file name given to the parser (may be a bare name for in-memory text).
    public var file: String
    /// 1-based line of the problem, 0 when unknown.
    public var line: Int
    /// 1-based column of the problem, 0 when unknown.
    public var column: Int
    /// The problem.
    public var problem: Problem

    /// An error at `location` in `file`.
    public init(file: String, location: SourceLocation, problem: Problem) {
        self.file = file
        self.line = location.line
        self.column = location.column
        self.problem = problem
    }

    /// The location as a value.
    public var location: SourceLocation { SourceLocation(line: line, column: column) }

    /// The problem in words, without the location.
    public var message: String {
        switch problem {
        case .unreadableFile(let reason): return reason
        case .emptyFile: return "empty file: no declarations or assertions"
        case .syntax(let expected, let found): return "syntax error: expected \(expected), found \(found)"
        case .invalidNumber(let text): return "invalid number '\(text)'"
        case .unterminatedString: return "unterminated string literal"
        case .nestingTooDeep(let limit): return "nesting deeper than \(limit) levels"
        case .undeclaredVariable(let name): return "undeclared variable \(name)"
        case .duplicateDeclaration(let name): return "duplicate declaration of \(name)"
        case .indexOutOfRange(let variable, let index, let shape):
            return "index \(index) of \(variable) is out of range for shape \(shape)"
        case .unknownElementType(let name): return "unknown element type '\(name)'"
        case .unsupportedVersion(let version): return "unsupported VNN-LIB version \(version)"
        case .invalidEquivalence(let reason): return "invalid network equivalence: \(reason)"
        case .nonLinearTerm: return "non-linear term: a product may have at most one non-constant factor"
        case .arithmeticUnderflow:
            return "arithmetic underflow: a product falls below 2.2e-308 in magnitude, where Double arithmetic is inexact"
        case .unboundedInput(let name): return "unbounded input \(name)"
        case .unsupportedConstruct(let name): return "unsupported construct: \(name)"
        case .tooManyDisjuncts(let limit): return "too many disjuncts: the normal form exceeds \(limit) terms"
        case .normalFormTooLarge(let limit):
            return "normal form too large: more than \(limit) comparisons after expanding the disjunctions"
        }
    }

    /// `file:line:column: message` on one line (`file: message` when the location is unknown).
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
