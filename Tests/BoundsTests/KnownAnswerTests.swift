@testable import Bounds
import Network
import Tensor
import Testing

/// `y = relu(x₁ + x₂) + relu(x₁ − x₂)` over `[−1, 1]²`: pre-activations in `[−2, 2]`, true range `[0, 2]`.
///
/// By hand: interval gives `y ∈ [0, 4]`. CROWN (adaptive slope 1 since `u = −l`) gives `y ≥ z₁ + z₂ = 2x₁ ≥ −2`
/// and, with the chords `relu(z) ≤ (z + 2)/2`, `−y ≥ −x₁ − 2 ≥ −3`. The optimal slopes are 0, giving `y ≥ 0`.
private func handNetwork() throws -> Network {
    try Network(inputShape: [1, 2], layers: [
        .dense(Dense(weights: Matrix([[1, 1], [1, -1]]), bias: [0, 0])), .relu,
        .dense(Dense(weights: Matrix([[1, 1]]), bias: [0])),
    ])
}

private let unitBox = Box(lower: [-1, -1], upper: [1, 1])
/// The soundness margins widen these bounds by a few 1e-9.
private let tolerance = 1e-7

@Test func handComputedIntervalAndCrownBounds() throws {
    let propagator = try BoundPropagator(network: handNetwork())
    let bounds = propagator.intermediateBounds(over: unitBox, method: .crown)
    let pre = try #require(bounds.preActivation[1])
    for j in 0..<2 {
        #expect(abs(pre.lower[j] + 2) < tolerance && pre.lower[j] <= -2)
        #expect(abs(pre.upper[j] - 2) < tolerance && pre.upper[j] >= 2)
    }
    let objective = Matrix([[1], [-1]])
    let intervalBounds = propagator.intermediateBounds(over: unitBox, method: .interval)
    let interval = propagator.lowerBounds(of: objective, over: unitBox, intermediate: intervalBounds,
                                          options: BoundOptions(method: .interval))
    #expect(abs(interval.lower[0]) < tolerance && interval.lower[0] <= 0)
    #expect(abs(interval.lower[1] + 4) < tolerance && interval.lower[1] <= -4)

    let crown = propagator.lowerBounds(of: objective, over: unitBox, intermediate: bounds,
                                       options: BoundOptions(method: .crown))
    // Row 0: the CROWN linear bound 2·x₁ (bound −2) loses to the interval bound 0, which is reported.
    #expect(abs(crown.lower[0]) < tolerance)
    #expect(abs(crown.inputCoefficients[0, 0] - 2) < tolerance && abs(crown.inputCoefficients[0, 1]) < tolerance)
    #expect(abs(crown.inputConstants[0]) < tolerance)
    // Row 1: −y ≥ −x₁ − 2 ≥ −3.
    #expect(abs(crown.lower[1] + 3) < tolerance && crown.lower[1] <= -3)
    #expect(abs(crown.inputCoefficients[1, 0] + 1) < tolerance && abs(crown.inputCoefficients[1, 1]) < tolerance)
    #expect(abs(crown.inputConstants[1] + 2) < tolerance)
    let lambda = try #require(crown.reluCoefficients[1])
    #expect(lambda.storage == [1, 1, -1, -1])
}

@Test func alphaCrownFindsTheOptimalSlopes() throws {
    // Only the lower side of y = relu(x) over [−1, 1]: CROWN's adaptive slope 1 gives −1; slope 0 gives 0.
    let network = try Network(inputShape: [1, 1], layers: [
        .dense(Dense(weights: Matrix([[1]]), bias: [0])), .relu, .dense(Dense(weights: Matrix([[1]]), bias: [0])),
    ])
    let propagator = try BoundPropagator(network: network)
    let box = Box(lower: [-1], upper: [1])
    let bounds = propagator.intermediateBounds(over: box)
    let objective = Matrix([[1]])
    let crown = propagator.lowerBounds(of: objective, over: box, intermediate: bounds,
                                       options: BoundOptions(method: .crown))
    let alpha = propagator.lowerBounds(of: objective, over: box, intermediate: bounds)
    // Interval gives 0 as well; check the linear bounds, which certify on their own.
    #expect(abs(crown.inputCoefficients[0, 0] - 1) < tolerance)
    #expect(abs(alpha.inputCoefficients[0, 0]) < tolerance)
    #expect(abs(alpha.lower[0]) < tolerance && alpha.lower[0] <= 0)
}

@Test func maxPoolRelaxationUsesTheDominantInput() {
    let pool = Pool2D(channels: 1, inputHeight: 1, inputWidth: 2, kernelHeight: 1, kernelWidth: 2, strideHeight: 1,
                      strideWidth: 1)
    let rule = try! MaxPoolBoundRule(pool, layer: 0)
    let dominant = rule.relaxation(for: Box(lower: [1, -1], upper: [2, 0.5]), margins: SoundnessMargins())
    #expect(dominant.lowerIndex == [0] && dominant.upperIndex == [0] && dominant.upperSlope == [1])
    let overlapping = rule.relaxation(for: Box(lower: [0, -1], upper: [2, 3]), margins: SoundnessMargins())
    #expect(overlapping.lowerIndex == [0] && overlapping.upperSlope == [0] && overlapping.upperIntercept == [3])
    #expect(rule.interval(Box(lower: [0, -1], upper: [2, 3]), margins: SoundnessMargins()) == Box(lower: [0], upper: [3]))
    // Nearly dominated: max(x_0, x_1) ≤ x_0 + (0.8 − 0.5) for x_0 ∈ [0.5, 2], x_1 ∈ [−1, 0.8], below the constant 2
    // at x_0's centre (1.55 against 2); it holds on a grid of the box.
    let near = Box(lower: [0.5, -1], upper: [2, 0.8])
    let line = rule.relaxation(for: near, margins: SoundnessMargins())
    #expect(line.upperIndex == [0] && line.upperSlope == [1] && line.upperIntercept[0] >= 0.3
            && line.upperIntercept[0] < 0.3 + 1e-15)
    for a in stride(from: 0.5, through: 2, by: 0.05) {
        for b in stride(from: -1, through: 0.8, by: 0.05) { #expect(max(a, b) <= a + line.upperIntercept[0]) }
    }
}

@Test func unboundedInputsGiveInfiniteNeverNaNBounds() throws {
    let network = TestNetworks.randomMLP(seed: 11)
    let propagator = try BoundPropagator(network: network)
    var box = TestNetworks.box(network.inputCount, radius: 0.5, seed: 11)
    box.lower[0] = -.infinity
    box.upper[1] = .nan
    for method in BoundMethod.allCases {
        let bounds = propagator.intermediateBounds(over: box, method: method)
        #expect(!bounds.isInfeasible)
        #expect(bounds.tensors.allSatisfy { t in !t.lower.contains(where: \.isNaN) && !t.upper.contains(where: \.isNaN) })
        let result = propagator.lowerBounds(of: TestNetworks.objective(rows: 2, network.outputCount, seed: 1),
                                            over: box, intermediate: bounds, options: BoundOptions(method: method))
        #expect(result.lower.allSatisfy { !$0.isNaN && $0 < .infinity })
    }
}
