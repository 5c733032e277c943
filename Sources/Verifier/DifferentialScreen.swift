import Differential
import Network
import Tensor
import VNNLib

/// The fast path of equivalence queries between two networks of one layer structure (`|Y_g − Y_f| ≤ ε` on a box
/// with tied inputs): cases refuted by certified bounds on `δ = g(x) − f(x)` alone, without the product network.
///
/// It applies when the query has exactly two networks that read the same shared inputs in the same order, and
/// every row of every disjunct is a combination of differences, `Σ_i α_i (y_g,i − y_f,i) ≤ d` (the coefficients of
/// `y_f` are exactly the negated coefficients of `y_g`). A disjunct is refuted on a box when one of its rows
/// cannot hold for any `δ` in the certified interval of the box (``DifferenceBounds``, difference propagation
/// with back-substitution); a case is proved when every disjunct is refuted on every leaf of a best-first input
/// bisection of its box. Cases it cannot prove within its budget go to the product network as before, so the screen can
/// save time but never change a verdict.
struct DifferentialScreen {
    /// One row `Σ α_i δ_i ≤ d`.
    struct Row {
        var alpha: [Double]
        var bound: Double
    }

    let original: Network
    let compressed: Network
    /// Per case of the product problem: its box over the two networks' (common) input.
    let boxes: [Box]
    /// Per case of the product problem: its disjuncts, each as rows over `δ`.
    let disjuncts: [[[Row]]]

    /// The screen of `problem`, or nil when it does not apply.
    init?(_ problem: MultiNetworkProblem) {
        let spec = problem.specification
        guard spec.networks.count == 2, problem.networks.allSatisfy({ $0.inputClamp == nil }) else { return nil }
        let reads = spec.networks.map { binding in binding.inputs[0].range.map { problem.ties.sharedIndex[$0] } }
        guard reads[0] == reads[1], problem.networks[0].outputCount == problem.networks[1].outputCount else {
            return nil
        }
        let outputsF = spec.networks[0].outputs[0].range, outputsG = spec.networks[1].outputs[0].range
        var disjuncts: [[[Row]]] = []
        for c in problem.product.cases {
            var rows: [[Row]] = []
            for polytope in c.regions {
                var polytopeRows: [Row] = []
                for r in 0..<polytope.rowCount {
                    guard let row = Self.row(polytope, r, outputsF, outputsG) else { return nil }
                    polytopeRows.append(row)
                }
                rows.append(polytopeRows)
            }
            disjuncts.append(rows)
        }
        original = problem.networks[0]
        compressed = problem.networks[1]
        self.disjuncts = disjuncts
        boxes = problem.product.cases.map { c in
            Box(lower: reads[0].map { c.box.lower[$0] }, upper: reads[0].map { c.box.upper[$0] })
        }
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

    /// True when every disjunct of case `k` of the product problem is refuted on every leaf of a best-first
    /// bisection of its box (``Differential/DifferenceBounds/prove(original:compressed:over:budget:margins:closes:)``)
    /// within `maxLeaves` leaves and `seconds`.
    func proves(case k: Int, maxLeaves: Int, seconds: Double) -> Bool {
        let budget = DifferenceBudget(maxLeaves: maxLeaves, timeLimit: seconds, targetRatio: nil, attack: nil)
        return DifferenceBounds.prove(original: original, compressed: compressed, over: boxes[k], budget: budget) {
            delta in disjuncts[k].allSatisfy { rows in rows.contains { Self.refutes($0, delta) } }
        }
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
