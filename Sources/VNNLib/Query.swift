/// The abstract syntax of a VNN-LIB file: version, network declarations, assertions.
///
/// The property is violated (`sat`) iff some assignment satisfies all assertions. ``specification()`` turns a
/// query into the normal form used by the verifier.
public struct Query: Sendable, Hashable {
    /// A `major.minor` VNN-LIB version.
    public struct Version: Sendable, Hashable, CustomStringConvertible {
        /// Major version (1 or 2).
        public var major: Int
        /// Minor version.
        public var minor: Int
        /// A version from its parts.
        public init(major: Int, minor: Int) {
            self.major = major
            self.minor = minor
        }
        /// `M.m`.
        public var description: String { "\(major).\(minor)" }
        /// VNN-LIB 1.0.
        public static let v1 = Version(major: 1, minor: 0)
        /// VNN-LIB 2.0.
        public static let v2 = Version(major: 2, minor: 0)
    }

    /// The file name used in diagnostics.
    public var fileName: String
    /// The language version (1.0 when the file has no `vnnlib-version`).
    public var version: Version
    /// The networks, in declaration order.
    public var networks: [NetworkDeclaration]
    /// The assertions, in file order; all of them are conjoined.
    public var assertions: [Assertion]

    /// A query from its parts.
    public init(fileName: String, version: Version, networks: [NetworkDeclaration], assertions: [Assertion]) {
        self.fileName = fileName
        self.version = version
        self.networks = networks
        self.assertions = assertions
    }

    /// The declaration a reference points to.
    public func declaration(of variable: VariableReference) -> VariableDeclaration {
        networks[variable.network].declarations(variable.role)[variable.declaration]
    }

    /// The source spelling of a scalar variable: `X_3` in VNN-LIB 1, `X[0,3]` (or `X` for scalars) in 2.
    public func name(of variable: VariableReference) -> String {
        declaration(of: variable).elementName(variable.element, style: version.major)
    }
}
