import Tensor

/// The working state of ``Query/specification(options:)``.
struct Normalizer {
    /// A comparison classified once, reused by every DNF term that contains it.
    enum Atom {
        case constant(Bool)
        case inputBound(variable: Int, lower: Double?, upper: Double?)
        case input([LinearConstraint])
        case output([LinearConstraint])
    }

    let query: Query
    let options: Query.NormalizationOptions
    var comparisons: [Comparison] = []
    var inputOffsets: [[Int]] = []
    var outputOffsets: [[Int]] = []
    var inputCount = 0
    var outputCount = 0

    init(query: Query, options: Query.NormalizationOptions) {
        self.query = query
        self.options = options
    }

    func error(_ problem: VNNLibError.Problem, at location: SourceLocation) -> VNNLibError {
        VNNLibError(file: query.fileName, location: location, problem: problem)
    }

    mutating func run() throws(VNNLibError) -> Specification {
        var bindings: [NetworkBinding] = []
        for network in query.networks {
            var inputs: [NetworkBinding.Variable] = []
            for declaration in network.inputs {
                inputs.append(NetworkBinding.Variable(declaration: declaration, offset: inputCount))
                inputCount += declaration.elementCount
            }
            inputOffsets.append(inputs.map(\.offset))
            bindings.append(
                NetworkBinding(
                    name: network.name, equivalence: network.equivalence, inputs: inputs,
                    hidden: network.hidden, outputs: []))
        }
        for (n, network) in query.networks.enumerated() {
            var outputs: [NetworkBinding.Variable] = []
            for declaration in network.outputs {
                outputs.append(NetworkBinding.Variable(declaration: declaration, offset: outputCount))
                outputCount += declaration.elementCount
            }
            outputOffsets.append(outputs.map(\.offset))
            bindings[n].outputs = outputs
        }
        let specification = Specification(version: query.version, networks: bindings, cases: [])

        let conjunction = BoolExpression.and(query.assertions.map(\.expression))
        let termTotal = try termCount(conjunction)
        let (size, overflow) = termTotal.multipliedReportingOverflow(by: Self.comparisonCount(conjunction))
        if overflow || size > options.maximumNormalFormSize {
            throw error(
                .normalFormTooLarge(limit: options.maximumNormalFormSize),
                at: query.assertions.first?.location ?? SourceLocation(line: 1, column: 1))
        }
        let terms = try disjunctiveNormalForm(conjunction)
        let atoms = try comparisons.map { (c: Comparison) throws(VNNLibError) -> Atom in try classify(c) }

        struct InputPart: Hashable {
            var box: Box
            var constraints: [LinearConstraint]
        }
        var caseIndex: [InputPart: Int] = [:]
        var cases: [PropertyCase] = []
        var caseLocations: [SourceLocation] = []
        termLoop: for term in terms {
            var lower = [Double](repeating: -.infinity, count: inputCount)
            var upper = [Double](repeating: .infinity, count: inputCount)
            var constraints: [LinearConstraint] = []
            var rows: [LinearConstraint] = []
            for a in term {
                switch atoms[a] {
                case .constant(let holds):
                    if !holds { continue termLoop }
                case .inputBound(let v, let l, let u):
                    if let l { lower[v] = Swift.max(lower[v], l) }
                    if let u { upper[v] = Swift.min(upper[v], u) }
                case .input(let list):
                    constraints.append(contentsOf: list)
                case .output(let list):
                    rows.append(contentsOf: list)
                }
            }
            for i in 0..<inputCount where !(lower[i] <= upper[i]) { continue termLoop }
            let part = InputPart(box: Box(lower: lower, upper: upper), constraints: constraints)
            let polytope = OutputPolytope(rows: rows, outputCount: outputCount)
            if let index = caseIndex[part] {
                cases[index].disjuncts.append(polytope)
            } else {
                caseIndex[part] = cases.count
                cases.append(PropertyCase(inputBox: part.box, inputConstraints: constraints, disjuncts: [polytope]))
                caseLocations.append(term.first.map { comparisons[$0].location } ?? SourceLocation(line: 1, column: 1))
            }
        }
        var result = specification
        for (c, location) in caseLocations.enumerated() {
            var box = cases[c].inputBox
            propagateBounds(into: &box, constraints: cases[c].inputConstraints)
            for i in 0..<inputCount where !(box.lower[i].isFinite && box.upper[i].isFinite) {
                throw error(.unboundedInput(specification.inputName(i)), at: location)
            }
            guard box.isValid else { continue }
            cases[c].inputBox = box
            result.cases.append(cases[c])
        }
        return result
    }

    /// Number of comparisons in `expression`.
    static func comparisonCount(_ expression: BoolExpression) -> Int {
        switch expression {
        case .comparison: return 1
        case .and(let list), .or(let list): return list.reduce(0) { $0 + comparisonCount($1) }
        }
    }

    /// Fills missing bounds of inputs from the input constraints (interval reasoning on `a·x ≤ b`).
    func propagateBounds(into box: inout Box, constraints: [LinearConstraint]) {
        let open = (0..<inputCount).filter { !(box.lower[$0].isFinite && box.upper[$0].isFinite) }
        guard !open.isEmpty, !constraints.isEmpty else { return }
        for _ in 0..<options.boundPropagationRounds {
            var changed = false
            for constraint in constraints {
                let a = constraint.coefficients
                for i in open where a[i] != 0 {
                    var rest = 0.0
                    for j in 0..<a.count where j != i && a[j] != 0 {
                        rest += Swift.min(a[j] * box.lower[j], a[j] * box.upper[j])
                    }
                    guard rest.isFinite else { continue }
                    let limit = (constraint.bound - rest) / a[i]
                    if a[i] > 0, limit < box.upper[i] {
                        box.upper[i] = limit
                        changed = true
                    } else if a[i] < 0, limit > box.lower[i] {
                        box.lower[i] = limit
                        changed = true
                    }
                }
            }
            if !changed { break }
        }
    }
}
