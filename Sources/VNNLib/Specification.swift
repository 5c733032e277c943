/// The normal form of a VNN-LIB property: a disjunction of ``PropertyCase``s.
///
/// The property is violated (`sat`) iff for some case an input `x` in its region maps to an output `y` inside
/// one of its polytopes. Variables are laid out as all inputs (network by network in declaration order, each
/// tensor flattened row-major) in the input vector, and all outputs in the same order in the output vector.
/// This is the form used by nnenum and the VNN-COMP scorer (box × union of `C·y ≤ d`).
public struct Specification: Sendable, Hashable {
    /// The VNN-LIB version of the source.
    public var version: Query.Version
    /// Per-network tensor bindings.
    public var networks: [NetworkBinding]
    /// The cases, in order of first appearance in the disjunctive normal form.
    public var cases: [PropertyCase]

    /// A specification from its parts.
    public init(version: Query.Version, networks: [NetworkBinding], cases: [PropertyCase]) {
        self.version = version
        self.networks = networks
        self.cases = cases
    }

    /// Parses and normalises the VNN-LIB file at `path`.
    public init(contentsOfFile path: String) throws(VNNLibError) {
        self = try VNNLibParser.parseFile(atPath: path).specification()
    }

    /// Parses and normalises the VNN-LIB file at `path` with the given normalisation options.
    public init(contentsOfFile path: String, options: Query.NormalizationOptions) throws(VNNLibError) {
        self = try VNNLibParser.parseFile(atPath: path).specification(options: options)
    }

    /// Number of scalar inputs over all networks.
    public var inputCount: Int {
        networks.reduce(0) { $0 + $1.inputs.reduce(0) { $0 + $1.declaration.elementCount } }
    }

    /// Number of scalar outputs over all networks.
    public var outputCount: Int {
        networks.reduce(0) { $0 + $1.outputs.reduce(0) { $0 + $1.declaration.elementCount } }
    }

    /// Number of scalar hidden-node values over all networks (0 unless hidden nodes are asserted on,
    /// ``Query/NormalizationOptions/allowsHiddenNodes``).
    public var hiddenCount: Int {
        networks.reduce(0) { $0 + $1.hiddenVariables.reduce(0) { $0 + $1.declaration.elementCount } }
    }

    /// The source name of input coordinate `i` (`X_3`, or `X_f[0,0,0,3]` in VNN-LIB 2).
    public func inputName(_ i: Int) -> String { elementName(i, role: .input, style: version.major) }

    /// The source name of output coordinate `i`.
    public func outputName(_ i: Int) -> String { elementName(i, role: .output, style: version.major) }

    /// The name of coordinate `i` of the input or output vector, spelled as VNN-LIB `style` (1 or 2) does.
    func elementName(_ i: Int, role: VariableDeclaration.Role, style: Int) -> String {
        for network in networks {
            for tensor in role == .input ? network.inputs : network.outputs where tensor.range.contains(i) {
                return tensor.declaration.elementName(i - tensor.offset, style: style)
            }
        }
        return "?\(i)"
    }

    /// The first (case, disjunct) whose input region contains `input` and whose polytope contains `output`;
    /// nil when the pair does not violate the property.
    /// - Parameters:
    ///   - input: the flat input vector (``inputCount`` values).
    ///   - output: the flat output vector (``outputCount`` values).
    ///   - inputTolerance: how far inputs may leave the box and input constraints.
    ///   - outputTolerance: slack added to every output row.
    ///   - hidden: the flat hidden-node values (``hiddenCount`` of them), for the rows that read them.
    public func violation(
        input: [Double], output: [Double], hidden: [Double] = [], inputTolerance: Double = 0, outputTolerance: Double = 0
    ) -> (case: Int, disjunct: Int)? {
        let extended = output + hidden + input
        for (c, propertyCase) in cases.enumerated() where propertyCase.contains(input: input, tolerance: inputTolerance)
        {
            for (k, polytope) in propertyCase.disjuncts.enumerated()
            where polytope.isSatisfied(by: output, tolerance: outputTolerance) {
                guard propertyCase.mixedConstraints(ofDisjunct: k).allSatisfy({
                    $0.isSatisfied(by: extended, tolerance: outputTolerance)
                }) else { continue }
                return (c, k)
            }
        }
        return nil
    }

    /// The `Float` overload (values are widened exactly to `Double`).
    public func violation(
        input: [Float], output: [Float], inputTolerance: Double = 0, outputTolerance: Double = 0
    ) -> (case: Int, disjunct: Int)? {
        violation(
            input: input.map(Double.init), output: output.map(Double.init), inputTolerance: inputTolerance,
            outputTolerance: outputTolerance)
    }
}

extension Specification {
    /// The input coordinates declared `float16`: a witness must give each of them a Float16 value (proofs over the
    /// reals cover them, since Float16 values are reals).
    public var float16Inputs: [Int] {
        networks.flatMap { network in
            network.inputs.filter { $0.declaration.elementType == .float16 }.flatMap { Array($0.range) }
        }
    }
}
