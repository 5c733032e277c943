public import Verifier
public import Network

/// Compares an original network with its compressed copy: each property verified on both (preserved, lost,
/// gained), certified bounds on `|g − f|` over each property's boxes beside the largest difference an attack
/// finds, decision equivalence for classifiers, and both networks' certified Lipschitz bounds.
///
/// ```swift
/// let comparison = try Comparator().compare(
///     original: ComparedNetwork(f), compressed: ComparedNetwork(g),
///     properties: [ComparedProperty(name: "prop_1", specification: spec)])
/// for p in comparison.properties { print(p.name, p.preservation) }
/// ```
///
/// Soundness is the verifier's: a property is `lost` only with a counterexample confirmed on the compressed
/// network; difference bounds are certified (outward rounding); decision equivalence is proved by the verifier
/// on the side-by-side network, and refuted only by an input at which both networks' forward passes disagree.
public struct Comparator: Sendable {
    /// The settings.
    public var options: ComparisonOptions

    /// A comparator with the given settings.
    public init(options: ComparisonOptions = ComparisonOptions()) { self.options = options }

    /// Compares `compressed` with `original` on `properties`: ``baseline(original:properties:progress:)``, then
    /// ``compare(_:with:progress:)``.
    /// - Parameter progress: called before each step (from the calling thread).
    /// - Throws: ``ComparisonError/interfaceMismatch(_:)`` when the networks differ in input or output count,
    ///   ``ComparisonError/property(name:_:)`` when a property does not fit them.
    public func compare(
        original f: ComparedNetwork, compressed g: ComparedNetwork, properties: [ComparedProperty],
        progress: ((ComparisonProgress) -> Void)? = nil
    ) throws(ComparisonError) -> NetworkComparison {
        try Self.checkInterface(f.network, g.network)
        var counter = StepCounter(total: steps(properties.count, original: true), progress: progress)
        let base = try baseline(original: f, properties: properties, counter: &counter)
        return try compare(g, with: base, counter: &counter)
    }

    /// The original's side of a comparison, computed once: each property verified (search trace recorded, for
    /// proof reuse) and the Lipschitz bound.
    /// - Throws: ``ComparisonError/property(name:_:)`` when a property does not fit the network.
    public func baseline(
        original f: ComparedNetwork, properties: [ComparedProperty], progress: ((ComparisonProgress) -> Void)? = nil
    ) throws(ComparisonError) -> ComparisonBaseline {
        var counter = StepCounter(total: properties.count + (options.lipschitzMethod == nil ? 0 : 1), progress: progress)
        return try baseline(original: f, properties: properties, counter: &counter)
    }

    /// Compares `compressed` with the original of `baseline`, property by property and by Lipschitz bound.
    /// - Throws: ``ComparisonError/interfaceMismatch(_:)``, ``ComparisonError/property(name:_:)``.
    public func compare(
        _ g: ComparedNetwork, with baseline: ComparisonBaseline, progress: ((ComparisonProgress) -> Void)? = nil
    ) throws(ComparisonError) -> NetworkComparison {
        try Self.checkInterface(baseline.original.network, g.network)
        var counter = StepCounter(total: steps(baseline.properties.count, original: false), progress: progress)
        return try compare(g, with: baseline, counter: &counter)
    }

    /// The number of progress steps of a comparison (with the original's own steps or without).
    private func steps(_ properties: Int, original: Bool) -> Int {
        let lipschitz = options.lipschitzMethod == nil ? 0 : 1
        return properties * 3 + lipschitz + (original ? properties + lipschitz : 0)
    }

    private func baseline(
        original f: ComparedNetwork, properties: [ComparedProperty], counter: inout StepCounter
    ) throws(ComparisonError) -> ComparisonBaseline {
        var original = options.verification
        original.search.recordsTrace = true
        var verifications: [VerificationResult] = []
        for property in properties {
            counter.report("verify original", property.name)
            verifications.append(try verify(f, property, options: original, reusing: nil))
        }
        let lipschitz = options.lipschitzMethod.map { method in
            counter.report("Lipschitz bound of the original", nil)
            return lipschitzBound(f.network, method)
        }
        return ComparisonBaseline(original: f, properties: properties, verifications: verifications, lipschitz: lipschitz)
    }

    private func compare(
        _ g: ComparedNetwork, with baseline: ComparisonBaseline, counter: inout StepCounter
    ) throws(ComparisonError) -> NetworkComparison {
        var results: [PropertyComparison] = []
        for (property, onF) in zip(baseline.properties, baseline.verifications) {
            results.append(try compare(baseline.original, g, on: property, originalResult: onF, counter: &counter))
        }
        var lipschitz: LipschitzComparison?
        if let method = options.lipschitzMethod, let original = baseline.lipschitz {
            counter.report("Lipschitz bound of the compressed network", nil)
            let reference = try? original.get()
            lipschitz = LipschitzComparison(
                original: original, compressed: lipschitzBound(g.network, method, reference: reference))
        }
        return NetworkComparison(properties: results, lipschitz: lipschitz)
    }

    /// The three steps of one property on the compressed network: verify, bound the difference, check decisions.
    private func compare(
        _ f: ComparedNetwork, _ g: ComparedNetwork, on property: ComparedProperty, originalResult onF: VerificationResult,
        counter: inout StepCounter
    ) throws(ComparisonError) -> PropertyComparison {
        counter.report("verify compressed", property.name)
        let onG = try verify(
            g, property, options: options.verification, reusing: options.reusesProofs ? onF.trace : nil)
        counter.report("difference bound", property.name)
        let boxes = property.specification.cases.map(\.inputBox)
        let differences = boxes.enumerated().map { k, box in difference(f.network, g.network, over: box, caseIndex: k) }
        counter.report("decision equivalence", property.name)
        let decisions = options.decision.map { rule in boxes.map { decide(f, g, over: $0, rule: rule) } } ?? []
        return PropertyComparison(
            name: property.name, original: onF, compressed: onG,
            preservation: Preservation(original: onF.verdict, compressed: onG.verdict),
            differences: differences, decisions: decisions)
    }

    /// Verifies `property` on one network with ``ComparisonOptions/verification``: from the proof cache when
    /// ``ComparisonOptions/proofCache`` holds a proof of it, else from `trace` (another network's proof of the same
    /// property, e.g. the original's) when given, else from scratch.
    /// - Throws: ``ComparisonError/property(name:_:)`` when the property does not fit the network.
    public func verify(_ model: ComparedNetwork, _ property: ComparedProperty, reusing trace: SearchTrace? = nil)
        throws(ComparisonError) -> VerificationResult
    {
        try verify(model, property, options: options.verification, reusing: trace)
    }

    /// Verifies `property` on `model`: from the proof cache when ``ComparisonOptions/proofCache`` is set, from
    /// `trace` (the original's proof) when given, else from scratch. A trace that does not fit is ignored.
    private func verify(
        _ model: ComparedNetwork, _ property: ComparedProperty, options: VerificationOptions, reusing trace: SearchTrace?
    ) throws(ComparisonError) -> VerificationResult {
        do throws(VerifierError) {
            let problem = try VerificationProblem(
                network: model.network, specification: property.specification, reference: model.reference)
            let verifier = Verifier(options: options)
            let proof = trace?.outcome == nil ? nil : trace
            if let cache = self.options.proofCache { return try verifier.verify(problem, cache: cache, fallback: proof) }
            return try verifier.verify(problem, reusingIfCompatible: proof)
        } catch {
            throw .property(name: property.name, error)
        }
    }

    /// Checks that the two networks take the same number of inputs and give the same number of outputs.
    /// - Throws: ``ComparisonError/interfaceMismatch(_:)`` otherwise.
    public static func checkInterface(_ f: Network, _ g: Network) throws(ComparisonError) {
        guard f.inputCount == g.inputCount else {
            throw .interfaceMismatch("the original takes \(f.inputCount) inputs, the compressed network \(g.inputCount)")
        }
        guard f.outputCount == g.outputCount else {
            throw .interfaceMismatch("the original has \(f.outputCount) outputs, the compressed network \(g.outputCount)")
        }
    }
}

/// Counts a comparison's steps and reports each before it runs.
struct StepCounter {
    let total: Int
    let progress: ((ComparisonProgress) -> Void)?
    private(set) var done = 0

    init(total: Int, progress: ((ComparisonProgress) -> Void)?) {
        self.total = total
        self.progress = progress
    }

    mutating func report(_ stage: String, _ property: String?) {
        progress?(ComparisonProgress(stage: stage, property: property, done: done, total: total))
        done += 1
    }
}
