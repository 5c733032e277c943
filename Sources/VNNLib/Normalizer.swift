import Tensor

/// The working state of ``Query/specification(options:)``.
struct Normalizer {
    /// A comparison classified once, reused by every DNF term that contains it.
    enum Atom {
        case constant(Bool)
        case inputBound(variable: Int, [SolvedBound])
        case input([LinearConstraint])
        case output([LinearConstraint])
        /// Rows over `[y; h; x]` (outputs, hidden nodes, inputs).
        case mixed([LinearConstraint])
    }

    let query: Query
    let options: Query.NormalizationOptions
    var comparisons: [Comparison] = []
    var inputOffsets: [[Int]] = []
    var outputOffsets: [[Int]] = []
    var hiddenOffsets: [[Int]] = []
    var inputCount = 0
    var outputCount = 0
    var hiddenCount = 0

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
        for (n, network) in query.networks.enumerated() {
            var hidden: [NetworkBinding.Variable] = []
            for declaration in network.hidden where options.allowsHiddenNodes {
                hidden.append(NetworkBinding.Variable(declaration: declaration, offset: hiddenCount))
                hiddenCount += declaration.elementCount
            }
            hiddenOffsets.append(hidden.map(\.offset))
            bindings[n].hiddenVariables = hidden
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
            var region: InputRegion
            var constraints: [LinearConstraint]
        }
        var caseIndex: [InputPart: Int] = [:]
        var cases: [PropertyCase] = []
        var caseLocations: [SourceLocation] = []
        termLoop: for term in terms {
            // The closed box for proofs (bounds rounded outward) and the exact region for witnesses.
            var lower = [Double](repeating: -.infinity, count: inputCount)
            var upper = [Double](repeating: .infinity, count: inputCount)
            var region = InputRegion(unbounded: inputCount)
            var constraints: [LinearConstraint] = []
            var rows: [LinearConstraint] = []
            var mixed: [LinearConstraint] = []
            for a in term {
                switch atoms[a] {
                case .constant(let holds):
                    if !holds { continue termLoop }
                case .inputBound(let v, let bounds):
                    for b in bounds {
                        switch b.side {
                        case .lower:
                            lower[v] = Swift.max(lower[v], b.outer)
                            region.raiseLower(v, to: b.inner, isOpen: b.isOpen)
                        case .upper:
                            upper[v] = Swift.min(upper[v], b.outer)
                            region.lowerUpper(v, to: b.inner, isOpen: b.isOpen)
                        }
                    }
                case .input(let list):
                    constraints.append(contentsOf: list)
                case .output(let list):
                    rows.append(contentsOf: list)
                case .mixed(let list):
                    mixed.append(contentsOf: list)
                }
            }
            let box = Box(lower: lower, upper: upper)
            if Self.isProvablyEmpty(box: box, region: region) { continue termLoop }
            let part = InputPart(box: box, region: region, constraints: constraints)
            let polytope = OutputPolytope(rows: rows, outputCount: outputCount)
            if let index = caseIndex[part] {
                cases[index].disjuncts.append(polytope)
                cases[index].mixedConstraints.append(mixed)
            } else {
                caseIndex[part] = cases.count
                var c = PropertyCase(inputBox: box, inputRegion: region, inputConstraints: constraints, disjuncts: [polytope])
                c.mixedConstraints = [mixed]
                cases.append(c)
                caseLocations.append(term.first.map { comparisons[$0].location } ?? SourceLocation(line: 1, column: 1))
            }
        }
        var result = specification
        for (c, location) in caseLocations.enumerated() {
            var box = cases[c].inputBox
            propagateBounds(into: &box, constraints: cases[c].inputConstraints)
            for i in 0..<inputCount where !options.allowsUnboundedInputs && !(box.lower[i].isFinite && box.upper[i].isFinite) {
                throw error(.unboundedInput(specification.inputName(i)), at: location)
            }
            // Dropped only when provably empty: the propagated box contains every feasible input.
            if Self.isProvablyEmpty(box: box, region: cases[c].inputRegion) { continue }
            cases[c].inputBox = box
            // Bounds implied by the constraints hold for every witness too: the region takes them (they only
            // matter where the constraints, not single-variable bounds, bound a coordinate).
            for i in 0..<inputCount {
                cases[c].inputRegion.raiseLower(i, to: box.lower[i], isOpen: false)
                cases[c].inputRegion.lowerUpper(i, to: box.upper[i], isOpen: false)
            }
            if !cases[c].hasMixedConstraints { cases[c].mixedConstraints = [] }
            result.cases.append(cases[c])
        }
        return result
    }

    /// True when no real input satisfies the bounds: the outward-rounded box is empty, or it pins a coordinate to
    /// one value that an exact strict bound excludes.
    static func isProvablyEmpty(box: Box, region: InputRegion) -> Bool {
        for i in 0..<box.dimension {
            if !(box.lower[i] <= box.upper[i]) { return true }
            if box.lower[i] == box.upper[i] {
                let openAtLower = region.lowerIsOpen[i] && region.lower[i] == box.lower[i]
                let openAtUpper = region.upperIsOpen[i] && region.upper[i] == box.upper[i]
                if openAtLower || openAtUpper { return true }
            }
        }
        return false
    }

    /// Number of comparisons in `expression`.
    static func comparisonCount(_ expression: BoolExpression) -> Int {
        switch expression {
        case .comparison: return 1
        case .and(let list), .or(let list): return list.reduce(0) { $0 + comparisonCount($1) }
        }
    }

    /// Fills missing bounds of inputs from the input constraints (interval reasoning on `a·x ≤ b`), rounded
    /// outward: the result contains every input that satisfies the constraints exactly, so that an empty result
    /// proves the case empty.
    func propagateBounds(into box: inout Box, constraints: [LinearConstraint]) {
        let open = (0..<inputCount).filter { !(box.lower[$0].isFinite && box.upper[$0].isFinite) }
        guard !open.isEmpty, !constraints.isEmpty else { return }
        for _ in 0..<options.boundPropagationRounds {
            var changed = false
            for constraint in constraints {
                let a = constraint.coefficients
                for i in open where a[i] != 0 {
                    guard let limit = Self.solvedLimit(constraint, for: i, over: box) else { continue }
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

    /// The bound `a·x ≤ b` implies on `x_i` over `box` — `(b − Σ_{j≠i} min(a_j·l_j, a_j·u_j)) / a_i`, an upper
    /// bound when `a_i > 0` and a lower one otherwise — rounded outward (the numerator summed exactly and rounded
    /// up, the quotient rounded by ``SolvedBound``); nil when the other terms are unbounded.
    static func solvedLimit(_ constraint: LinearConstraint, for i: Int, over box: Box) -> Double? {
        let a = constraint.coefficients
        var numerator = ExactSum()
        numerator.add(constraint.bound)
        for j in 0..<a.count where j != i && a[j] != 0 {
            // The endpoint minimising a_j·x_j.
            numerator.addProduct(-a[j], a[j] > 0 ? box.lower[j] : box.upper[j])
        }
        guard let upper = numerator.roundedUp else { return nil }
        return SolvedBound(side: a[i] > 0 ? .upper : .lower, coefficient: a[i], bound: upper, strict: false).outer
    }
}
