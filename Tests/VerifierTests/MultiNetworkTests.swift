import Foundation
import Network
import Tensor
import Testing
import TestSupport
import VNNLib
@testable import Verifier

/// Multi-network queries against the exact MILP: on small random pairs (g a perturbed and pruned copy of f, or
/// an unrelated network of another depth), the exact maximum of |g_i − f_i| over a box decides ε-equivalence
/// queries just above it (unsat) and just below it (sat, with a witness confirmed on each network).
struct MultiNetworkTests {
    static let verifier = Verifier(options: VerificationOptions(timeout: 120))

    static func mlp(_ widths: [Int], _ rng: inout SplitMix64) throws -> Network {
        try RandomNetworks.mlp(
            widths, weight: { rng.nextGaussian() / Double($0).squareRoot() }, bias: { 0.3 * rng.nextGaussian() })
    }

    /// `f` with every weight moved by a Gaussian of deviation 0.05, then the smallest quarter (by magnitude) of
    /// each layer's weights set to zero: a compressed copy.
    static func compressed(_ f: Network, _ rng: inout SplitMix64) throws -> Network {
        let layers = f.layers.map { layer -> Layer in
            guard case let .dense(d) = layer else { return layer }
            var w = d.weights.storage.map { $0 + 0.05 * rng.nextGaussian() }
            let cut = w.map(abs).sorted()[w.count / 4]
            w = w.map { abs($0) < cut ? 0 : $0 }
            return .dense(Dense(weights: Matrix(rows: d.weights.rows, columns: d.weights.columns, storage: w),
                                bias: d.bias.map { $0 + 0.05 * rng.nextGaussian() }))
        }
        return try Network(inputShape: f.inputShape, layers: layers)
    }

    /// A pair on `n` inputs: f with two hidden layers of 4–6 ReLUs, g compressed from it (or unrelated).
    static func pair(seed: UInt64, unrelated: Bool = false) throws -> (f: Network, g: Network) {
        var rng = SplitMix64(seed: seed)
        let n = Int.random(in: 2...3, using: &rng)
        let f = try mlp([n, Int.random(in: 4...6, using: &rng), Int.random(in: 4...6, using: &rng), 2], &rng)
        let g = unrelated ? try mlp([n, 5, 2], &rng) : try compressed(f, &rng)
        return (f, g)
    }

    static func number(_ v: Double) -> String { String(format: "%.9f", v) }

    static func header(n: Int) -> String {
        """
        (vnnlib-version <2.0>)
        (declare-network f (declare-input X_f real [1, \(n)]) (declare-output Y_f real [1, 2]))
        (declare-network g (declare-input X_g real [1, \(n)]) (declare-output Y_g real [1, 2]))

        """
    }

    static func box(_ name: String, n: Int, _ lower: Double, _ upper: Double) -> String {
        (0..<n).map { "(assert (and (>= \(name)[0,\($0)] \(number(lower))) (<= \(name)[0,\($0)] \(number(upper)))))\n" }
            .joined()
    }

    /// `|Y_g − Y_f| > ε` somewhere, on tied inputs in [−1, 1]ⁿ.
    static func equivalenceQuery(n: Int, epsilon: Double) throws -> Specification {
        let ties = (0..<n).map { "(assert (== X_f[0,\($0)] X_g[0,\($0)]))\n" }.joined()
        let e = number(epsilon)
        let violation = (0..<2).map { "(> Y_g[0,\($0)] (+ Y_f[0,\($0)] \(e))) (< Y_g[0,\($0)] (- Y_f[0,\($0)] \(e)))" }
        let text = header(n: n) + box("X_f", n: n, -1, 1) + ties + "(assert (or \(violation.joined(separator: " "))))\n"
        return try VNNLibParser.parse(contents: text).specification()
    }

    /// The exact `max_{x ∈ [−1,1]ⁿ, i} |g_i(x) − f_i(x)|`.
    static func exactMaximumDifference(_ f: Network, _ g: Network) throws -> Double {
        let n = f.inputCount
        let box = Box(lower: [Double](repeating: -1, count: n), upper: [Double](repeating: 1, count: n))
        var best = -Double.infinity
        for i in 0..<2 {
            for sign in [1.0, -1.0] {
                let value = try #require(try ExactMILP.maximum(
                    box: box, networks: [(f, Array(0..<n)), (g, Array(0..<n))],
                    objective: [(1, i, sign), (0, i, -sign)]))
                best = max(best, value)
            }
        }
        return best
    }

    static func models(_ f: Network, _ g: Network) -> [String: Network] { ["f": f, "g": g] }

    @Test(arguments: [(UInt64(1), false), (2, false), (3, false), (4, true)])
    func equivalenceAgreesWithExactMILP(seed: UInt64, unrelated: Bool) throws {
        let (f, g) = try Self.pair(seed: seed, unrelated: unrelated)
        let exact = try Self.exactMaximumDifference(f, g)
        let delta = 0.01 + 0.02 * exact
        let above = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: f.inputCount, epsilon: exact + delta))
        #expect(above.product.network.inputCount == f.inputCount)
        #expect(try Self.verifier.verify(above).verdict == .proven, "seed \(seed): exact max \(exact)")

        let epsilon = exact - delta
        let below = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: f.inputCount, epsilon: epsilon))
        guard case let .violated(cex) = try Self.verifier.verify(below).verdict else {
            Issue.record("seed \(seed): expected sat below the exact maximum \(exact)")
            return
        }
        let n = f.inputCount
        let (x, y) = (Array(cex.input[0..<n]), Array(cex.input[n...]))
        #expect(x == y)
        #expect(x.allSatisfy { (-1...1).contains($0) && Double(Float($0)) == $0 })
        let (yf, yg) = (f.evaluate(x), g.evaluate(x))
        #expect(zip(yf, yg).contains { abs($1 - $0) > epsilon })
        #expect(cex.output == yf + yg)
        #expect(cex.outputFloat32 == f.evaluate(x.map(Float.init)) + g.evaluate(x.map(Float.init)))
    }

    /// Pairs of one structure: with the differential screen, the product's search checks its nodes against the
    /// bounds on g − f and proves ε-equivalence 1.5× above the exact maximum; without it, it never does and
    /// proves the same.
    @Test(arguments: [UInt64(1), 2, 3])
    func theDifferentialScreenChecksTheProductsNodes(seed: UInt64) throws {
        let (f, g) = try Self.pair(seed: seed)
        let exact = try Self.exactMaximumDifference(f, g)
        let above = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: f.inputCount, epsilon: 1.5 * exact + 0.01))
        #expect(DifferentialScreen(above) != nil)
        let screened = try Self.verifier.verify(above)
        #expect(screened.verdict == .proven, "seed \(seed)")
        #expect(screened.statistics.differenceChecks > 0)
        var off = Self.verifier
        off.options.differentialScreen = false
        let product = try off.verify(above)
        #expect(product.verdict == .proven)
        #expect(product.statistics.differenceChecks == 0)
    }

    /// The screen never refutes a region that a sampled input of the node's box reaches (ε half the exact maximum,
    /// so that many do), on random sub-boxes of the query's box; and it refutes some regions somewhere.
    @Test(arguments: [UInt64(1), 2, 3])
    func theDifferentialScreenNeverRefutesAReachedRegion(seed: UInt64) throws {
        let (f, g) = try Self.pair(seed: seed)
        let exact = try Self.exactMaximumDifference(f, g)
        let problem = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: f.inputCount, epsilon: 0.5 * exact))
        let screen = try #require(DifferentialScreen(problem))
        let regions = problem.product.cases[0].regions
        var rng = SplitMix64(seed: seed &+ 100)
        var refutations = 0
        for _ in 0..<200 {
            let centre = (0..<f.inputCount).map { _ in Double.random(in: -1...1, using: &rng) }
            let radius = Double.random(in: 0.001...0.5, using: &rng)
            let box = Box(lower: centre.map { max(-1, $0 - radius) }, upper: centre.map { min(1, $0 + radius) })
            let refuted = screen.refutedRegions(caseIndex: 0, box: box, regions: Array(regions.indices))
            refutations += refuted.count
            for _ in 0..<20 {
                let x = (0..<box.dimension).map { Double.random(in: box.lower[$0]...box.upper[$0], using: &rng) }
                let y = f.evaluate(x) + g.evaluate(x)
                for r in refuted {
                    let reached = (0..<regions[r].rowCount).allSatisfy { k in
                        let row = regions[r].row(k)
                        return zip(row.coefficients, y).reduce(0) { $0 + $1.0 * $1.1 } < row.bound - 1e-9
                    }
                    #expect(!reached, "seed \(seed): region \(r) refuted on \(box) but reached at \(x)")
                }
            }
        }
        #expect(refutations > 0)
    }

    /// `verifyDifference` on the difference network: proven just above the exact `max |g − f|`, refuted just below
    /// it with an input where the difference, recomputed, exceeds the bound; an infinite bound asks nothing.
    @Test(arguments: [(UInt64(1), false), (2, false), (4, true)])
    func differenceBoundsAgreeWithExactMILP(seed: UInt64, unrelated: Bool) throws {
        let (f, g) = try Self.pair(seed: seed, unrelated: unrelated)
        let exact = try Self.exactMaximumDifference(f, g)
        let box = Box(lower: [Double](repeating: -1, count: f.inputCount), upper: [Double](repeating: 1, count: f.inputCount))
        let above = try Self.verifier.verifyDifference(original: f, compressed: g, over: box, atMost: [exact + 0.01, exact + 0.01])
        #expect(above.verdict == .proven, "seed \(seed): exact \(exact)")
        #expect(unrelated == (above.statistics.differenceChecks == 0))
        let below = exact - 0.01
        guard case let .violated(cex) = try Self.verifier.verifyDifference(
            original: f, compressed: g, over: box, atMost: [below, below]).verdict
        else {
            Issue.record("seed \(seed): expected a counterexample below the exact maximum \(exact)")
            return
        }
        #expect(zip(g.evaluate(cex.input), f.evaluate(cex.input)).contains { abs($0 - $1) >= below })
        #expect(try Self.verifier.verifyDifference(
            original: f, compressed: g, over: box, atMost: [.infinity, .infinity]).verdict == .proven)
    }

    @Test func untiedInputsAgreeWithExactMILP() throws {
        let (f, g) = try Self.pair(seed: 5)
        let n = f.inputCount
        // max_{x ∈ [−1,1]ⁿ, y ∈ [0, 0.5]ⁿ} f_0(x) − g_0(y), over independent inputs.
        let box = Box(
            lower: [Double](repeating: -1, count: n) + [Double](repeating: 0, count: n),
            upper: [Double](repeating: 1, count: n) + [Double](repeating: 0.5, count: n))
        let exact = try #require(try ExactMILP.maximum(
            box: box, networks: [(f, Array(0..<n)), (g, Array(n..<(2 * n)))], objective: [(0, 0, 1), (1, 0, -1)]))
        func query(_ threshold: Double) throws -> MultiNetworkProblem {
            let text = Self.header(n: n) + Self.box("X_f", n: n, -1, 1) + Self.box("X_g", n: n, 0, 0.5)
                + "(assert (>= (- Y_f[0,0] Y_g[0,0]) \(Self.number(threshold))))\n"
            return try MultiNetworkProblem(
                networks: Self.models(f, g), specification: VNNLibParser.parse(contents: text).specification())
        }
        let above = try query(exact + 0.02)
        #expect(above.product.network.inputCount == 2 * n)
        #expect(try Self.verifier.verify(above).verdict == .proven)
        guard case let .violated(cex) = try Self.verifier.verify(query(exact - 0.02)).verdict else {
            Issue.record("expected sat below the exact maximum \(exact)")
            return
        }
        let (x, y) = (Array(cex.input[0..<n]), Array(cex.input[n...]))
        #expect(f.evaluate(x)[0] - g.evaluate(y)[0] >= exact - 0.02)
        #expect(y.allSatisfy { (0...0.5).contains($0) })
    }

    @Test func confirmRejectsAWitnessThatMissesTheRegion() throws {
        let (f, g) = try Self.pair(seed: 6)
        let exact = try Self.exactMaximumDifference(f, g)
        let problem = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: f.inputCount, epsilon: exact + 0.01))
        // No input violates the query, so no candidate may pass, whatever the product network says.
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let z = (0..<f.inputCount).map { _ in Double(Float(Double.random(in: -1...1, using: &rng))) }
            let y = problem.product.network.evaluate(z)
            let forged = Counterexample(
                input: z, output: y, outputFloat32: y.map(Float.init), caseIndex: 0, disjunctIndex: 0, margin: 0)
            #expect(problem.confirm(forged) == nil)
        }
    }

    /// A stored graph that cannot be evaluated: no witness can be confirmed on it.
    struct FailingReplay: ReferenceEvaluator {
        func evaluate(_ input: [Float]) -> [Float]? { nil }
    }

    @Test func aWitnessThatDoesNotReplayIsNeverSat() throws {
        let (f, g) = try Self.pair(seed: 1)
        let exact = try Self.exactMaximumDifference(f, g)
        let problem = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: f.inputCount, epsilon: exact - 0.05),
            references: ["g": FailingReplay()])
        let verdict = try Verifier(options: VerificationOptions(timeout: 3)).verify(problem).verdict
        if case .violated = verdict { Issue.record("sat without a replay of g") }
        #expect(verdict != .proven)
    }

    @Test func maxPoolingIsRefusedNamingTheNetworks() throws {
        let (f, _) = try Self.pair(seed: 10)
        let n = f.inputCount
        let pool = Pool2D(channels: 1, inputHeight: 1, inputWidth: n, kernelHeight: 1, kernelWidth: 1, strideHeight: 1,
                          strideWidth: 1)
        let pooled = try Network(inputShape: [1, 1, 1, n], layers: [.maxPool(pool), .reshape([1, n])] + f.layers)
        let text = Self.header(n: n).replacingOccurrences(of: "X_g real [1, \(n)]", with: "X_g real [1, 1, 1, \(n)]")
            + Self.box("X_f", n: n, -1, 1) + (0..<n).map { "(assert (== X_f[0,\($0)] X_g[0,0,0,\($0)]))\n" }.joined()
            + "(assert (>= Y_g[0,0] 100.0))\n"
        #expect {
            try MultiNetworkProblem(networks: ["f": f, "g": pooled], specification: VNNLibParser.parse(contents: text).specification())
        } throws: { error in
            guard case let VerifierError.unsupportedNetwork(reason) = error else { return false }
            return reason.contains("uses MaxPool") && reason.contains("2 = g")
        }
    }

    /// A pooled CNN on a `[1, 9]` input read as `[1, 1, 3, 3]`: conv 2×2 (1 → 2), ReLU, max pool 1×2, dense 4 → 2;
    /// and its copy with every weight moved by a Gaussian of deviation 0.05.
    static func pooledPair(seed: UInt64) throws -> (f: Network, g: Network) {
        var rng = SplitMix64(seed: seed)
        let weights = (0..<8).map { _ in rng.nextGaussian() / 2 }, bias = [0.3 * rng.nextGaussian(), 0.3 * rng.nextGaussian()]
        let head = (0..<8).map { _ in rng.nextGaussian() / 2 }
        let pool = Pool2D(channels: 2, inputHeight: 2, inputWidth: 2, kernelHeight: 1, kernelWidth: 2, strideHeight: 1,
                          strideWidth: 1)
        func network(_ moved: Double) throws -> Network {
            let shift = { (v: Double) in v + moved * rng.nextGaussian() }
            let c = Conv2D(inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 2, kernelHeight: 2,
                           kernelWidth: 2, weights: weights.map(shift), bias: bias.map(shift))
            let d = Dense(weights: Matrix(rows: 2, columns: 4, storage: head.map(shift)), bias: [0, 0])
            return try Network(inputShape: [1, 9], layers: [
                .reshape([1, 1, 3, 3]), .conv2d(c), .relu, .maxPool(pool), .reshape([1, 4]), .dense(d),
            ])
        }
        return (try network(0), try network(0.05))
    }

    /// Pooled networks of one structure are searched on their product (the pools combine), bisecting the inputs
    /// (ReLU splits cannot make a pool exact): ε-equivalence 1.2× above the exact MILP's maximum is proved, with the
    /// differential screen taking part, and just below it is sat at a witness confirmed on both networks.
    @Test(arguments: [UInt64(1), 2, 3])
    func pooledEquivalenceAgreesWithExactMILP(seed: UInt64) throws {
        let (f, g) = try Self.pooledPair(seed: seed)
        let exact = try Self.exactMaximumDifference(f, g)
        let delta = 0.01 + 0.02 * exact
        let above = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: 9, epsilon: 1.2 * exact + 0.01))
        #expect(DifferentialScreen(above) != nil)
        #expect(try Self.verifier.verify(above).verdict == .proven, "seed \(seed): exact max \(exact)")
        let epsilon = exact - delta
        let below = try MultiNetworkProblem(
            networks: Self.models(f, g), specification: Self.equivalenceQuery(n: 9, epsilon: epsilon))
        guard case let .violated(cex) = try Self.verifier.verify(below).verdict else {
            Issue.record("seed \(seed): expected sat below the exact maximum \(exact)")
            return
        }
        let x = Array(cex.input[0..<9])
        #expect(zip(f.evaluate(x), g.evaluate(x)).contains { abs($1 - $0) > epsilon })
    }

    @Test func tiesBecomeSharedCoordinates() throws {
        let constraints = [
            LinearConstraint(coefficients: [1, 0, 0, -1], bound: 0), LinearConstraint(coefficients: [-1, 0, 0, 1], bound: 0),
            LinearConstraint(coefficients: [0, 2, -2, 0], bound: 0), LinearConstraint(coefficients: [0, -2, 2, 0], bound: -0.0),
        ]
        let ties = try InputTies(dimension: 4, constraints: constraints, name: { "x\($0)" })
        #expect(ties.sharedIndex == [0, 1, 1, 0])
        #expect(ties.sharedCount == 2)
        #expect(ties.expand([5.0, 7.0]) == [5, 7, 7, 5])
        #expect(throws: VerifierError.self) {
            try InputTies(dimension: 2, constraints: [LinearConstraint(coefficients: [1, -1], bound: 0)], name: { "x\($0)" })
        }
        #expect(throws: VerifierError.self) {
            try InputTies(dimension: 2, constraints: [LinearConstraint(coefficients: [1, 1], bound: 0)], name: { "x\($0)" })
        }
        #expect(throws: VerifierError.self) {
            try InputTies(dimension: 2, constraints: [LinearConstraint(coefficients: [1, -1], bound: 0.5),
                                                      LinearConstraint(coefficients: [-1, 1], bound: 0.5)], name: { "x\($0)" })
        }
    }

    @Test func bindingsAreChecked() throws {
        let (f, g) = try Self.pair(seed: 8)
        let (_, other) = try Self.pair(seed: 9, unrelated: true)
        let n = f.inputCount
        let spec = try Self.equivalenceQuery(n: n, epsilon: 0.1)
        func bindingError(_ models: [String: Network], _ spec: Specification, _ text: String) {
            #expect {
                try MultiNetworkProblem(networks: models, specification: spec)
            } throws: { error in
                guard case let VerifierError.invalidNetworkBinding(reason) = error else { return false }
                return reason.contains(text)
            }
        }
        bindingError(["f": f], spec, "network g")
        bindingError(["f": f, "g": g, "h": g], spec, "network h, which the query does not declare")
        let isomorphic = try VNNLibParser.parse(contents: Self.header(n: n).replacingOccurrences(
            of: "(declare-network g ", with: "(declare-network g (isomorphic-to f) ")
            + Self.box("X_f", n: n, -1, 1) + Self.box("X_g", n: n, -1, 1)).specification()
        #expect(try MultiNetworkProblem(networks: ["f": f, "g": g], specification: isomorphic).networks.count == 2)
        bindingError(["f": f, "g": other], isomorphic, "structure differs")
        let equal = try VNNLibParser.parse(contents: Self.header(n: n).replacingOccurrences(
            of: "(declare-network g ", with: "(declare-network g (equal-to f) ")
            + Self.box("X_f", n: n, -1, 1) + Self.box("X_g", n: n, -1, 1)).specification()
        bindingError(["f": f, "g": g], equal, "equal-to f")
        let reused = try MultiNetworkProblem(networks: ["f": f], specification: equal)
        #expect(reused.networks == [f, f])
    }
}
