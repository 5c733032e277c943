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

    /// Compares `compressed` with `original` on `properties`.
    /// - Parameter progress: called before each step (from the calling thread).
    /// - Throws: ``ComparisonError/interfaceMismatch(_:)`` when the networks differ in input or output count,
    ///   ``ComparisonError/property(name:_:)`` when a property does not fit them.
    public func compare(
        original f: ComparedNetwork, compressed g: ComparedNetwork, properties: [ComparedProperty],
        progress: ((ComparisonProgress) -> Void)? = nil
    ) throws(ComparisonError) -> NetworkComparison {
        try Self.checkInterface(f.network, g.network)
        let steps = properties.count * 4 + (options.lipschitzMethod == nil ? 0 : 2)
        var done = 0
        func report(_ stage: String, _ property: String?) {
            progress?(ComparisonProgress(stage: stage, property: property, done: done, total: steps))
            done += 1
        }
        var results: [PropertyComparison] = []
        for property in properties {
            results.append(try compare(f, g, on: property, report: report))
        }
        let lipschitz = options.lipschitzMethod.map { method in
            compareLipschitz(f.network, g.network, method: method, report: report)
        }
        return NetworkComparison(properties: results, lipschitz: lipschitz)
    }

    /// The four steps of one property: verify both, bound the difference, check decisions.
    private func compare(
        _ f: ComparedNetwork, _ g: ComparedNetwork, on property: ComparedProperty,
        report: (String, String?) -> Void
    ) throws(ComparisonError) -> PropertyComparison {
        report("verify original", property.name)
        let onF = try verify(f, property)
        report("verify compressed", property.name)
        let onG = try verify(g, property)
        report("difference bound", property.name)
        let boxes = property.specification.cases.map(\.inputBox)
        let differences = boxes.enumerated().map { k, box in difference(f.network, g.network, over: box, caseIndex: k) }
        report("decision equivalence", property.name)
        let decisions = options.decision.map { rule in boxes.map { decide(f, g, over: $0, rule: rule) } } ?? []
        return PropertyComparison(
            name: property.name, original: onF, compressed: onG,
            preservation: Preservation(original: onF.verdict, compressed: onG.verdict),
            differences: differences, decisions: decisions)
    }

    /// Verifies `property` on one network with ``ComparisonOptions/verification``.
    /// - Throws: ``ComparisonError/property(name:_:)`` when the property does not fit the network.
    public func verify(_ model: ComparedNetwork, _ property: ComparedProperty) throws(ComparisonError)
        -> VerificationResult
    {
        do {
            return try Verifier(options: options.verification).verify(
                network: model.network, specification: property.specification, reference: model.reference)
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
