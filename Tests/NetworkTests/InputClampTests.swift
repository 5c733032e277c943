import Network
import Tensor
import Testing

/// ``Network/inputClamp``: validated on construction, applied first by every evaluation.
@Suite struct InputClampTests {
    static func identity(clamp: Box?) throws -> Network {
        try Network(
            inputShape: [1, 2],
            layers: [.dense(Dense(weights: Matrix(rows: 2, columns: 2, storage: [1, 0, 0, 1]), bias: [0, 0]))],
            inputClamp: clamp)
    }

    @Test func clampIsValidated() throws {
        #expect(throws: NetworkError.invalidInputClamp(reason: "1 bounds for 2 inputs")) {
            try Self.identity(clamp: Box(lower: [0], upper: [1]))
        }
        #expect(throws: NetworkError.self) { try Self.identity(clamp: Box(lower: [0, 2], upper: [1, 1])) }
        #expect(throws: NetworkError.self) { try Self.identity(clamp: Box(lower: [0, .nan], upper: [1, 1])) }
        #expect(try Self.identity(clamp: nil).inputClamp == nil)
    }

    @Test func evaluationClipsFirst() throws {
        let network = try Self.identity(clamp: Box(lower: [0, -1], upper: [1, 1]))
        #expect(network.evaluate([1.77, -3]) == [1, -1])
        #expect(network.evaluate([Float(1.77), 0.5]) == [1, 0.5])
        #expect(network.trace([1.77, 0.5])[0] == [1, 0.5])
        #expect(network.valueAndGradient(at: [1.77, 0.5], outputWeights: [1, 1]).gradient == [0, 1])
        #expect(network.valueAndGradient(at: [1, 0.5], outputWeights: [1, 1]).gradient == [1, 1])
        #expect(try Self.identity(clamp: nil).evaluate([1.77, -3]) == [1.77, -3])
    }
}
