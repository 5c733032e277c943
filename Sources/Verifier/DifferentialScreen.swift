import Bounds
import Differential
import Network
import Tensor
import VNNLib

/// The fast path of equivalence queries between two networks of one layer structure (`|Y_g − Y_f| ≤ ε` on a box
/// with tied inputs): regions of a product-network node refuted by certified bounds on `δ = g(x) − f(x)` alone.
///
/// It applies when the query has exactly two networks that read the same shared inputs in the same order, and
/// every row of every disjunct is a combination of differences, `Σ_i α_i (y_g,i − y_f,i) ≤ d` (the coefficients of
/// `y_f` are exactly the negated coefficients of `y_g`). A disjunct is refuted on a box when one of its rows
/// cannot hold for any `δ` in the certified interval of the box (``DifferenceBounds``, difference propagation
/// with back-substitution). Branch and bound on the product network asks it about every node
/// (``VerificationProblem/differenceRefuter``): it only ever refutes, so it can save time but never change a
/// verdict.
struct DifferentialScreen {
    /// One row `Σ α_i δ_i ≤ d`.
    struct Row {
        var alpha: [Double]
        var bound: Double
    }

    /// For each input of the two networks, the product's shared input coordinate it reads.
    let reads: [Int]
    /// Per case of the product problem: its disjuncts, each as rows over `δ`.
    let disjuncts: [[[Row]]]
    /// The pair's difference bounds, prepared once.
    let bounder: DifferenceBounder

    /// The screen of `problem`, or nil when it does not apply (or the pair has no common layer structure for
    /// difference propagation: the product network's own bounds are then as good).
    init?(_ problem: MultiNetworkProblem) {
        let spec = problem.specification
        guard spec.networks.count == 2 else { return nil }
        let reads = spec.networks.map { binding in binding.inputs[0].range.map { problem.ties.sharedIndex[$0] } }
        guard reads[0] == reads[1], problem.networks[0].outputCount == problem.networks[1].outputCount else {
            return nil
        }
        let outputsF = spec.networks[0].outputs[0].range, outputsG = spec.networks[1].outputs[0].range
        self.init(original: problem.networks[0], compressed: problem.networks[1], reads: reads[0],
                  cases: problem.product.cases) { polytope, r in Self.row(polytope, r, outputsF, outputsG) }
    }

    /// The screen of a problem on the difference network `x ↦ g(x) − f(x)` (``Network/difference(original:compressed:)``),
    /// whose outputs are `δ` itself; nil when `f` and `g` do not share a layer structure.
    init?(original f: Network, compressed g: Network, differenceProblem problem: VerificationProblem) {
        self.init(original: f, compressed: g, reads: Array(0..<f.inputCount), cases: problem.cases) { polytope, r in
            let c = polytope.row(r)
            return Row(alpha: c.coefficients, bound: c.bound)
        }
    }

    /// The screen of `cases`, whose regions' rows `row` reads as rows over `δ` (nil: not one, and the screen does
    /// not apply), for networks reading the inputs `reads` of the cases' boxes.
    private init?(
        original f: Network, compressed g: Network, reads: [Int], cases: [VerificationProblem.Case],
        row: (OutputPolytope, Int) -> Row?
    ) {
        guard f.inputClamp == nil, g.inputClamp == nil else { return nil }
        var disjuncts: [[[Row]]] = []
        for c in cases {
            var rows: [[Row]] = []
            for polytope in c.regions {
                var polytopeRows: [Row] = []
                for r in 0..<polytope.rowCount {
                    guard let row = row(polytope, r) else { return nil }
                    polytopeRows.append(row)
                }
                rows.append(polytopeRows)
            }
            disjuncts.append(rows)
        }
        guard let bounder = try? DifferenceBounder(original: f, compressed: g, inputDimension: f.inputCount),
              bounder.propagatesDifferences
        else { return nil }
        self.bounder = bounder
        self.reads = reads
        self.disjuncts = disjuncts
    }

    /// Row `r` of `polytope` as a combination of differences, or nil when it is not one.
    private static func row(_ polytope: OutputPolytope, _ r: Int, _ f: Range<Int>, _ g: Range<Int>) -> Row? {
        let c = polytope.row(r)
        var alpha: [Double] = []
        for (i, j) in zip(f, g) {
            guard c.coefficients[i] == -c.coefficients[j] else { return nil }
            alpha.append(c.coefficients[j])
        }
        return Row(alpha: alpha, bound: c.bound)
    }

    /// The regions among `regions` (indices of case `k`'s disjuncts) that certified bounds of `g − f` over `box`
    /// refute — a box over the product's shared input, such as a node's; empty when the pair cannot be bounded there.
    /// Sound for any sub-box of the case: the bounds hold for every input in `box`, whatever else the node assumes.
    /// With `productBounds`, the node's bounds of every product tensor, the two networks' bounds are read off them
    /// instead of computed again (``DifferenceBounder/bounds(over:productBounds:margins:)``) and the bounds hold on
    /// the node's region (`box` under the node's splits), which is all a node's refutation needs.
    func refutedRegions(caseIndex k: Int, box: Box, regions: [Int], productBounds: IntermediateBounds? = nil) -> [Int] {
        let own = Box(lower: reads.map { box.lower[$0] }, upper: reads.map { box.upper[$0] })
        let delta: DifferenceBounds
        do {
            if let productBounds {
                delta = try bounder.bounds(over: own, productBounds: productBounds)
            } else {
                delta = try bounder.bounds(over: own)
            }
        } catch {
            return []
        }
        return regions.filter { r in disjuncts[k][r].contains { Self.refutes($0, delta) } }
    }

    /// True when `Σ α_i δ_i ≤ d` fails for every `δ` in the interval: its minimum over the interval, rounded
    /// down by a bound on the summation error, exceeds `d`.
    static func refutes(_ row: Row, _ delta: DifferenceBounds) -> Bool {
        var minimum = 0.0, magnitude = abs(row.bound)
        for (i, a) in row.alpha.enumerated() where a != 0 {
            let term = a > 0 ? a * delta.lower[i] : a * delta.upper[i]
            guard term.isFinite else { return false }
            minimum += term
            magnitude += abs(term)
        }
        let error = Double(row.alpha.count + 2) * Double.ulpOfOne * magnitude + Double.leastNormalMagnitude
        return minimum - error > row.bound
    }
}
