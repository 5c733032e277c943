extension Normalizer {
    /// DNF of `expression` as lists of indices into `comparisons`.
    ///
    /// `and` conjoins its single-term operands into a shared prefix and takes the cross product of the rest, so
    /// long lists of box asserts cost O(n). Throws `tooManyDisjuncts` before building an oversized product.
    mutating func disjunctiveNormalForm(_ expression: BoolExpression) throws(VNNLibError) -> [[Int]] {
        switch expression {
        case .comparison(let comparison):
            comparisons.append(comparison)
            return [[comparisons.count - 1]]
        case .or(let operands):
            var terms: [[Int]] = []
            for operand in operands {
                terms.append(contentsOf: try disjunctiveNormalForm(operand))
                if terms.count > options.maximumDisjuncts { throw tooMany(operand) }
            }
            return terms
        case .and(let operands):
            var common: [Int] = []
            var products: [[Int]] = [[]]
            for operand in operands {
                let terms = try disjunctiveNormalForm(operand)
                if terms.count == 1 {
                    common.append(contentsOf: terms[0])
                    continue
                }
                let (size, overflow) = products.count.multipliedReportingOverflow(by: terms.count)
                if overflow || size > options.maximumDisjuncts { throw tooMany(operand) }
                var next: [[Int]] = []
                next.reserveCapacity(size)
                for prefix in products {
                    for term in terms { next.append(prefix + term) }
                }
                products = next
            }
            return products.map { common + $0 }
        }
    }

    /// The number of DNF terms of `expression`, throwing `tooManyDisjuncts` at the operand that exceeds the
    /// limit before anything is built. O(size of the expression).
    func termCount(_ expression: BoolExpression) throws(VNNLibError) -> Int {
        switch expression {
        case .comparison:
            return 1
        case .or(let operands):
            var count = 0
            for operand in operands {
                count += try termCount(operand)
                if count > options.maximumDisjuncts { throw tooMany(operand) }
            }
            return count
        case .and(let operands):
            var count = 1
            for operand in operands {
                let (product, overflow) = count.multipliedReportingOverflow(by: try termCount(operand))
                if overflow || product > options.maximumDisjuncts { throw tooMany(operand) }
                count = product
            }
            return count
        }
    }

    private func tooMany(_ expression: BoolExpression) -> VNNLibError {
        error(.tooManyDisjuncts(limit: options.maximumDisjuncts), at: firstLocation(expression))
    }

    private func firstLocation(_ expression: BoolExpression) -> SourceLocation {
        var e = expression
        while true {
            switch e {
            case .comparison(let c): return c.location
            case .and(let list), .or(let list):
                guard let first = list.first else { return SourceLocation(line: 0, column: 0) }
                e = first
            }
        }
    }

    /// Turns a comparison into a constant, a box bound, input constraints or output rows.
    func classify(_ comparison: Comparison) throws(VNNLibError) -> Atom {
        let difference = comparison.lhs.adding(comparison.rhs, scaledBy: -1)
        // difference op 0  ⇔  a·v op -c
        let bound = -difference.constant
        guard bound.isFinite, difference.coefficients.values.allSatisfy(\.isFinite) else {
            throw error(
                .unsupportedConstruct("arithmetic overflow (a non-finite coefficient)"), at: comparison.location)
        }
        guard difference.coefficients.values.allSatisfy({ abs($0) >= Double.leastNormalMagnitude }) else {
            throw error(.arithmeticUnderflow, at: comparison.location)
        }
        var hasInput = false
        var hasOutput = false
        var hasHidden = false
        for variable in difference.coefficients.keys {
            switch variable.role {
            case .input: hasInput = true
            case .output: hasOutput = true
            case .hidden:
                guard options.allowsHiddenNodes else {
                    throw error(
                        .unsupportedConstruct("hidden variable \(query.name(of: variable)) in an assertion"),
                        at: comparison.location)
                }
                hasHidden = true
            }
        }
        let op = comparison.op
        if op == .notEqual { throw error(.unsupportedConstruct("'!=' comparison"), at: comparison.location) }
        if hasInput && hasOutput && !(options.allowsMixedComparisons || options.allowsHiddenNodes) {
            throw error(.unsupportedConstruct("comparison mixing inputs and outputs"), at: comparison.location)
        }
        if !hasInput && !hasOutput && !hasHidden {
            switch op {
            case .lessEqual: return .constant(0 <= bound)
            case .less: return .constant(0 < bound)
            case .greaterEqual: return .constant(0 >= bound)
            case .greater: return .constant(0 > bound)
            case .equal, .notEqual: return .constant(0 == bound)
            }
        }
        let isInput = hasInput && !hasOutput && !hasHidden
        if isInput, difference.coefficients.count == 1, let (variable, k) = difference.coefficients.first {
            let v = inputOffsets[variable.network][variable.declaration] + variable.element
            // k·x op b: ≤-type relations give an upper bound when k > 0, a lower bound when k < 0.
            let strict = op == .less || op == .greater
            switch (op, k > 0) {
            case (.lessEqual, true), (.less, true), (.greaterEqual, false), (.greater, false):
                return .inputBound(variable: v, [SolvedBound(side: .upper, coefficient: k, bound: bound, strict: strict)])
            case (.equal, _):
                return .inputBound(
                    variable: v,
                    [.lower, .upper].map { SolvedBound(side: $0, coefficient: k, bound: bound, strict: false) })
            default:
                return .inputBound(variable: v, [SolvedBound(side: .lower, coefficient: k, bound: bound, strict: strict)])
            }
        }
        // Rows over the inputs, the outputs, or (mixed) the outputs, the hidden nodes, then the inputs.
        let isMixed = hasHidden || (hasInput && hasOutput)
        let width = isMixed ? outputCount + hiddenCount + inputCount : isInput ? inputCount : outputCount
        var coefficients = [Double](repeating: 0, count: width)
        for (variable, c) in difference.coefficients {
            let index: Int
            switch variable.role {
            case .input:
                index = inputOffsets[variable.network][variable.declaration] + variable.element
                    + (isMixed ? outputCount + hiddenCount : 0)
            case .hidden: index = outputCount + hiddenOffsets[variable.network][variable.declaration] + variable.element
            case .output: index = outputOffsets[variable.network][variable.declaration] + variable.element
            }
            coefficients[index] += c
        }
        let less = LinearConstraint(coefficients: coefficients, bound: bound, isStrict: op == .less)
        let greater = LinearConstraint(coefficients: coefficients.map { -$0 }, bound: -bound, isStrict: op == .greater)
        let rows: [LinearConstraint]
        switch op {
        case .lessEqual, .less: rows = [less]
        case .greaterEqual, .greater: rows = [greater]
        default: rows = [less, greater]
        }
        return isMixed ? .mixed(rows) : isInput ? .input(rows) : .output(rows)
    }
}
