import Comparison
import Differential
import Network
import Tensor
import Testing
import TestSupport

/// Classifiers that end in a softmax: `|g − f|` bounded through the pairwise logit differences
/// (``DifferenceCertifier`` on softmax pairs), decisions compared on the logits.
@Suite struct SoftmaxComparisonTests {
    static func withSoftmax(_ network: Network) throws -> Network {
        try Network(inputShape: network.inputShape, layers: network.layers + [.softmax(Softmax(size: network.outputCount))])
    }

    static let box = Box(lower: [-1, -1, -1], upper: [1, 1, 1])

    /// Sampled pairs never leave the bound, which is never looser than the product network's and is far tighter
    /// on these pairs (summed over outputs and seeds).
    @Test func theBoundHoldsOnSamplesAndBeatsTheProductNetwork() throws {
        var (certifiedSum, productSum) = (0.0, 0.0)
        for seed in UInt64(1)...4 {
            let (f0, g0) = try RandomNetworks.noisyPair([3, 16, 16, 4], seed: seed)
            let (f, g) = (try Self.withSoftmax(f0), try Self.withSoftmax(g0))
            let budget = DifferenceBudget(maxLeaves: 8, timeLimit: 10, attack: DifferenceAttack())
            let result = try DifferenceCertifier(budget: budget).compute(original: f, compressed: g, over: Self.box)
            let product = try DifferenceBounds.productNetwork(original: f, compressed: g, over: Self.box).maxAbsolute
            var rng = SplitMix64(seed: seed &+ 11)
            for _ in 0..<3000 {
                let x = (0..<3).map { _ in Double.random(in: -1...1, using: &rng) }
                for (i, (a, b)) in zip(g.evaluate(x), f.evaluate(x)).enumerated() {
                    #expect(abs(a - b) <= result.bounds.maxAbsolute[i], "seed \(seed) output \(i)")
                }
            }
            let attack = try #require(result.attack)
            for (i, x) in attack.inputs.enumerated() {
                #expect(abs(g.evaluate(x)[i] - f.evaluate(x)[i]) == attack.values[i])
                #expect(attack.values[i] <= result.bounds.maxAbsolute[i])
            }
            certifiedSum += result.bounds.maxAbsolute.reduce(0, +)
            productSum += product.reduce(0, +)
        }
        #expect(certifiedSum * 2 < productSum, "softmax pairs \(certifiedSum), product network \(productSum)")
    }

    /// `g = f` gives exactly 0; a logit bias shift by the same amount on every class gives almost 0 (softmax is
    /// invariant to it, and so are the pairwise differences; the product network cannot see that).
    @Test func aUniformLogitShiftIsExactlyZero() throws {
        let (f0, _) = try RandomNetworks.noisyPair([3, 8, 3], seed: 5)
        var layers = f0.layers
        guard case let .dense(last) = layers[layers.count - 1] else { return }
        layers[layers.count - 1] = .dense(Dense(weights: last.weights, bias: last.bias.map { $0 + 0.625 }))
        let f = try Self.withSoftmax(f0), g = try Self.withSoftmax(Network(inputShape: f0.inputShape, layers: layers))
        let budget = DifferenceBudget(maxLeaves: 1, timeLimit: 5)
        let same = try DifferenceCertifier(budget: budget).compute(original: f, compressed: f, over: Self.box)
        #expect(same.bounds.maxAbsolute == [0, 0, 0])
        // The shift cancels in every pairwise difference up to the propagation's rounding margins.
        let shifted = try DifferenceCertifier(budget: budget).compute(original: f, compressed: g, over: Self.box)
        #expect(shifted.bounds.maxAbsolute.allSatisfy { $0 < 1e-8 }, "\(shifted.bounds.maxAbsolute)")
    }

    /// The decision of a softmax classifier is its logits' decision: `f = softmax(x, 0.5)` and
    /// `g = softmax(1.1x, 0.55)` decide alike on `[0.75, 1]`, proved; `g' = softmax(x, 0.7)` decides otherwise for
    /// `x ∈ (0.5, 0.7)`, refuted there with a witness confirmed on the softmax networks.
    @Test func decisionsAreComparedOnTheLogits() throws {
        let f = try Self.withSoftmax(Pairs.lineAndConstant(0.5))
        let g = try Self.withSoftmax(Pairs.lineAndConstant(0.55, slope: 1.1))
        let shifted = try Self.withSoftmax(Pairs.lineAndConstant(0.7))
        let away = try Pairs.property([(0.75, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        let across = try Pairs.property([(0.0, 1.0)], outputs: 2, violation: "(>= Y_0 2.0)")
        let proved = try Comparator(options: Pairs.quickOptions).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(g), properties: [away])
        #expect(proved.properties[0].decisions == [.proved])
        let refuted = try Comparator(options: Pairs.quickOptions).compare(
            original: ComparedNetwork(f), compressed: ComparedNetwork(shifted), properties: [across])
        guard case let .refuted(input, a, b) = refuted.properties[0].decisions.first else {
            Issue.record("expected a refutation, got \(refuted.properties[0].decisions)")
            return
        }
        #expect(input[0] >= 0.5 && input[0] <= 0.7 && (a, b) == (0, 1))
        #expect(f.evaluate(input)[0] >= f.evaluate(input)[1] && shifted.evaluate(input)[1] > shifted.evaluate(input)[0])
    }
}
