import Bounds
public import Network
import Tensor
public import VNNLib

/// Complete verification of a network against a property by branch and bound.
///
/// The run first tries to falsify the property (random sampling and PGD on every case), then searches: each
/// node is bounded by CROWN (intermediate bounds) and alpha-CROWN (final objective), checked against the
/// minimiser of its linear bound, sent to the triangle LP relaxation where bound propagation cannot decide it,
/// and otherwise split (input bisection for low-dimensional inputs, ReLU phases otherwise).
///
/// Soundness: ``Verdict/proven`` only when every node is closed by a certified bound (bound propagation with
/// outward rounding, or an LP's weak-duality bound evaluated independently of GLPK); ``Verdict/violated(_:)``
/// only with a counterexample that Float64 and Float32 forward passes confirm; anything doubtful is
/// ``Verdict/unknown(reason:)``.
///
/// ```swift
/// let network = try NetworkLoader.load(path: "net.onnx")
/// let spec = try Specification(contentsOfFile: "prop.vnnlib")
/// let result = try Verifier(options: VerificationOptions(timeout: 30)).verify(network: network, specification: spec)
/// if case .proven = result.verdict { print("holds") }
/// ```
public struct Verifier: Sendable {
    /// The settings.
    public var options: VerificationOptions

    /// A verifier with the given settings.
    public init(options: VerificationOptions = VerificationOptions()) { self.options = options }

    /// Verifies a VNN-LIB property (single network) against `network`.
    /// - Throws: ``VerifierError`` when the property's variables do not match the network, or the query needs
    ///   features verification does not support (several networks, non-box input constraints, sigmoid/tanh).
    /// - Parameter reference: the model as stored (`NetworkLoader.loadWithReference`), replayed on every
    ///   counterexample; nil to confirm on `network` alone.
    public func verify(
        network: Network, specification: Specification, reference: (any ReferenceEvaluator)? = nil
    ) throws(VerifierError) -> VerificationResult {
        try verify(VerificationProblem(network: network, specification: specification, reference: reference))
    }

    /// Verifies a prepared problem.
    public func verify(_ problem: VerificationProblem) throws(VerifierError) -> VerificationResult {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64((Self.cappedTimeout(options.timeout) * 1000).rounded(.down)))
        for (i, layer) in problem.network.layers.enumerated() where layer == .sigmoid || layer == .tanh {
            throw .unsupportedNetwork("\(layer.kindName) at layer \(i): verification handles ReLU networks (evaluation, bounds and Lipschitz analysis support it)")
        }
        let propagator: BoundPropagator
        do {
            propagator = try BoundPropagator(network: problem.network)
        } catch {
            throw .unsupportedNetwork("\(error)")
        }
        var statistics = VerificationStatistics()
        func finish(_ verdict: Verdict) -> VerificationResult {
            statistics.seconds = (ContinuousClock.now - start).seconds
            return VerificationResult(verdict: verdict, statistics: statistics)
        }
        // Falsification first: many sat instances fall to sampling and PGD in milliseconds. Low-dimensional
        // inputs (those input splitting handles) get 16 times the samples: they are cheap to evaluate and dense
        // sampling covers their box (ACAS Xu 1_9 prop_7: 0.12% of face samples violate it).
        let witness = WitnessCheck(network: problem.network, reference: problem.reference)
        if let trivial = Self.everyInputViolates(problem, witness: witness) { return finish(trivial) }
        let falsifier = Falsifier(witness: witness, options: options.attack)
        var rng = SplitMix64(seed: options.seed)
        let rootSamples = options.attack.samples
            * (problem.network.inputCount <= options.inputSplitDimensionLimit ? 16 : 1)
        for (k, c) in problem.cases.enumerated() {
            statistics.attacks += 1
            if let cex = falsifier.search(
                box: c.box, inputRegion: c.inputRegion, regions: c.regions, regionIndices: Array(c.regions.indices), caseIndex: k, starts: [],
                samples: rootSamples, restarts: options.attack.restarts, rng: &rng, deadline: deadline) {
                return finish(.violated(cex))
            }
            if ContinuousClock.now >= deadline { return finish(.timeout) }
        }
        let roots = problem.cases.enumerated().map { k, c in
            SearchNode(caseIndex: k, box: c.box, splits: SplitSet(), openRegions: Array(c.regions.indices),
                       parentBounds: nil, recomputeFrom: nil, priority: -.infinity, depth: 0, inputSplitDepth: 0)
        }
        let search = BranchAndBound(problem: problem, options: options, propagator: propagator, start: start,
                                    deadline: deadline)
        var result = search.run(roots: roots)
        result.statistics.attacks += statistics.attacks
        result.statistics.seconds = (ContinuousClock.now - start).seconds
        return result
    }

    /// The longest time limit honoured, in seconds (about 31 years): larger values, +∞ included, are capped so
    /// that the deadline stays representable. NaN and negative limits count as 0.
    public static let maximumTimeout = 1e9

    /// `timeout` clamped to `0 ... maximumTimeout` (NaN gives 0).
    static func cappedTimeout(_ timeout: Double) -> Double {
        timeout > 0 ? Swift.min(timeout, maximumTimeout) : 0
    }

    /// The verdict when some case has a disjunct with no output constraint (`(assert (<= 0 1))` alone, say): every
    /// input of that case violates the property, so it cannot be proven. `violated` with a Float32 input of the
    /// case's region, or `unknown` when the region holds no Float32 value (`X_0 ∈ [0.1, 0.1]`): the witness could
    /// not be given to a model that takes Float32 inputs. Nil when every disjunct constrains the output.
    static func everyInputViolates(_ problem: VerificationProblem, witness: WitnessCheck) -> Verdict? {
        var found = false
        for (k, c) in problem.cases.enumerated() {
            for (r, region) in c.regions.enumerated() where region.rowCount == 0 {
                found = true
                if let cex = witness.confirm(
                    c.box.center, box: c.box, inputRegion: c.inputRegion, region: region, caseIndex: k,
                    disjunctIndex: r)
                {
                    return .violated(cex)
                }
            }
        }
        return found
            ? .unknown(
                reason: "every input violates the property (a disjunct has no output constraint), but its input "
                    + "region holds no Float32 value to give as a counterexample")
            : nil
    }
}
