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
    public func verify(network: Network, specification: Specification) throws(VerifierError) -> VerificationResult {
        try verify(VerificationProblem(network: network, specification: specification))
    }

    /// Verifies a prepared problem.
    public func verify(_ problem: VerificationProblem) throws(VerifierError) -> VerificationResult {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64((options.timeout * 1000).rounded(.down)))
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
        let falsifier = Falsifier(network: problem.network, options: options.attack)
        var rng = SplitMix64(seed: options.seed)
        let rootSamples = options.attack.samples
            * (problem.network.inputCount <= options.inputSplitDimensionLimit ? 16 : 1)
        for (k, c) in problem.cases.enumerated() {
            statistics.attacks += 1
            if let cex = falsifier.search(
                box: c.box, regions: c.regions, regionIndices: Array(c.regions.indices), caseIndex: k, starts: [],
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
}
