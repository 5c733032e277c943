import Branching
import Network
import Tensor
import Testing
import TestSupport
import VNNLib
import Verifier

/// The seeded differential test: on small random ReLU networks and properties (threshold and robustness kinds,
/// disjunctions and unions of boxes), every decided verdict must agree with the exact MILP.
struct DifferentialTests {
    struct Instance {
        var network: Network
        var problem: VerificationProblem
        var kind: String
    }

    static func randomNetwork(_ rng: inout SplitMix64) throws -> Network {
        let inputs = Int.random(in: 2...4, using: &rng)
        let hidden = (0..<Int.random(in: 1...2, using: &rng)).map { _ in Int.random(in: 3...8, using: &rng) }
        let outputs = Int.random(in: 2...3, using: &rng)
        return try mlp([inputs] + hidden + [outputs], &rng)
    }

    /// A ReLU MLP with the given widths, Gaussian weights scaled by 1/√fan-in and biases of deviation 0.3.
    static func mlp(_ sizes: [Int], _ rng: inout SplitMix64) throws -> Network {
        try RandomNetworks.mlp(
            sizes, weight: { rng.nextGaussian() / Double($0).squareRoot() }, bias: { 0.3 * rng.nextGaussian() })
    }

    static func randomBox(_ n: Int, _ rng: inout SplitMix64, radius: Double) -> Box {
        let c = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        return Box(lower: c.map { $0 - radius }, upper: c.map { $0 + radius })
    }

    static func instance(seed: UInt64) throws -> Instance {
        var rng = SplitMix64(seed: seed)
        let net = try randomNetwork(&rng)
        let m = net.outputCount
        let kind = ["threshold", "robustness", "disjunction", "union"][Int(seed % 4)]
        var cases: [VerificationProblem.Case] = []
        switch kind {
        case "robustness":
            let box = randomBox(net.inputCount, &rng, radius: Double.random(in: 0.02...0.4, using: &rng))
            let y = net.evaluate(box.center)
            let label = y.indices.max { y[$0] < y[$1] }!
            let regions = (0..<m).filter { $0 != label }.map { j -> OutputPolytope in
                var c = Matrix(rows: 1, columns: m)
                c[0, label] = 1
                c[0, j] = -1
                return OutputPolytope(coefficients: c, bounds: [0])  // y_label − y_j ≤ 0
            }
            cases.append(.init(box: box, regions: regions))
        default:
            let boxes = kind == "union" ? 2 : 1
            for _ in 0..<boxes {
                let box = randomBox(net.inputCount, &rng, radius: Double.random(in: 0.1...0.8, using: &rng))
                var regions: [OutputPolytope] = []
                for _ in 0..<(kind == "disjunction" ? 2 : 1) {
                    let rows = Int.random(in: 1...2, using: &rng)
                    let c = Matrix(rows: rows, columns: m, storage: (0..<(rows * m)).map { _ in rng.nextGaussian() })
                    // Threshold near the sampled minimum of each row, so both verdicts occur.
                    var d: [Double] = []
                    for i in 0..<rows {
                        var lo = Double.infinity, hi = -Double.infinity
                        for _ in 0..<64 {
                            let x = (0..<box.dimension).map { box.lower[$0] + box.widths[$0] * Double.random(in: 0...1, using: &rng) }
                            let v = Vector.dot(c.row(i), net.evaluate(x))
                            lo = Swift.min(lo, v)
                            hi = Swift.max(hi, v)
                        }
                        d.append(lo - Double.random(in: -0.1...0.3, using: &rng) * (hi - lo + 1e-3))
                    }
                    regions.append(OutputPolytope(coefficients: c, bounds: d))
                }
                cases.append(.init(box: box, regions: regions))
            }
        }
        return Instance(network: net, problem: try VerificationProblem(network: net, cases: cases), kind: kind)
    }

    /// nil: the exact answer is within 1e-6 of the boundary (left out as ambiguous).
    static func exactVerdict(_ instance: Instance) throws -> Bool? {
        var sat = false
        for c in instance.problem.cases {
            for region in c.regions {
                guard let v = try ExactMILP.minimumMargin(network: instance.network, box: c.box, region: region) else {
                    return nil
                }
                if abs(v) < 1e-6 { return nil }
                if v < 0 { sat = true }
            }
        }
        return sat
    }

    /// Both search modes: `auto` splits the inputs of these low-dimensional networks; `reluSplit` exercises ReLU
    /// branching, the LP at nodes and leaves, and the root's LP tightening of intermediate bounds; and ReLU splitting
    /// with FSB ranking by the better child, and the learned GNN heuristic (bundled model, fail-safe and online fine-tuning
    /// on): branching never changes a verdict. The last case is the portfolio with its second search (`kfsb`)
    /// starting at once (``SearchOptions/portfolioShare`` 0): whichever search decides first, the verdict agrees.
    @Test(arguments: [(SplitMode.auto, BranchingChoice.babsr, 0.1), (.reluSplit, .babsr, 0.1),
                      (.reluSplit, BranchingChoice(argument: "fsb:better")!, 0.1), (.reluSplit, .gnn, 0.1),
                      (.reluSplit, .babsr, 0)])
    func verdictsAgreeWithExactMILP(mode: SplitMode, branching: BranchingChoice, portfolioShare: Double) throws {
        var agree = 0, sats = 0, unsats = 0, ambiguous = 0, undecided = 0, bySecond = 0
        var disagreements: [String] = []
        var undecidedCases: [String] = []
        var options = VerificationOptions(
            timeout: 20, search: SearchOptions(mode: mode, branching: branching, workers: 2),
            attack: AttackOptions(samples: 64, restarts: 2, steps: 30))
        options.search.portfolioShare = portfolioShare
        if mode == .reluSplit { options.lp.tighteningShare = 0.2 }
        let verifier = Verifier(options: options)
        for seed in UInt64(1)...UInt64(220) {
            let instance = try Self.instance(seed: seed)
            guard let exact = try Self.exactVerdict(instance) else {
                ambiguous += 1
                continue
            }
            let result = try verifier.verify(instance.problem)
            if result.statistics.decidedBySecondSearch { bySecond += 1 }
            switch result.verdict {
            case let .violated(cex):
                // The counterexample must really violate the property.
                let c = instance.problem.cases[cex.caseIndex]
                #expect(c.box.contains(cex.input))
                #expect(c.regions[cex.disjunctIndex].isSatisfied(by: instance.network.evaluate(cex.input)))
                if exact { agree += 1; sats += 1 } else { disagreements.append("seed \(seed) (\(instance.kind)): sat, MILP unsat") }
            case .proven:
                if !exact { agree += 1; unsats += 1 } else { disagreements.append("seed \(seed) (\(instance.kind)): unsat, MILP sat") }
            case .timeout, .unknown:
                undecided += 1
                undecidedCases.append("seed \(seed) (\(instance.kind)): \(result.verdict)")
            }
        }
        print("differential (\(mode), \(branching), portfolio after \(portfolioShare)): \(agree) agree (\(sats) sat, \(unsats) unsat), \(disagreements.count) disagree, \(undecided) undecided, \(ambiguous) ambiguous (|MILP margin| < 1e-6), \(bySecond) decided by the second search")
        #expect(disagreements.isEmpty, "\(disagreements)")
        #expect(undecided == 0, "\(undecidedCases)")
        #expect(agree >= 200)
        #expect(sats >= 30 && unsats >= 30)
        if portfolioShare == 0 { #expect(bySecond > 0, "the second search never decided first") }
    }
}
