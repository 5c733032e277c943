import NetworkCompression
import Network
import Testing

@Suite struct QuantizationTests {
    @Test func twoBitsGiveAtMostThreeLevelsPerTensor() throws {
        let net = try TestNetworks.mlp([8, 16, 4], seed: 1)
        let q = try Quantization(.uniform(bits: 2)).apply(to: net)
        for tensor in q.weightTensors {
            let s = Set(tensor.values)
            let peak = Double(Float(net.weightTensors.first { $0.layer == tensor.layer }!.values.map(abs).max()!))
            #expect(s.count <= 3)
            #expect(s.isSubset(of: [-peak, 0, peak]))
        }
    }

    /// 3 bits: levels `s·q`, `|q| ≤ 3`, `s = max|w| / 3`; here `s = 1`.
    @Test func uniformRoundsToTheNearestLevel() throws {
        let net = try Network(inputShape: [1, 5], layers: [TestNetworks.dense([[3, -1.4, 0.6, 2.5, -0.2]], [7])])
        let q = try Quantization(.uniform(bits: 3)).apply(to: net)
        #expect(TestNetworks.weights(q, 0).storage == [3, -1, 1, 3, 0])
        guard case let .dense(d) = q.layers[0] else { return }
        #expect(d.bias == [7])
    }

    @Test func eightBitsUseAtMost255Levels() throws {
        let net = try TestNetworks.mlp([30, 40, 5], seed: 2)
        let q = try Quantization(.uniform(bits: 8)).apply(to: net)
        for tensor in q.weightTensors { #expect(Set(tensor.values).count <= 255) }
    }

    /// Per channel, each row has its own scale: row 0 `max 4 → s = 4`, row 1 `max 0.5 → s = 0.5` (2 bits).
    @Test func perChannelScalesEachRow() throws {
        let net = try Network(inputShape: [1, 3], layers: [TestNetworks.dense([[4, 1, -3], [0.5, -0.3, 0.1]], [0, 0])])
        let perTensor = try Quantization(.uniform(bits: 2)).apply(to: net)
        #expect(TestNetworks.weights(perTensor, 0).storage == [4, 0, -4, 0, 0, 0])
        let perChannel = try Quantization(.uniform(bits: 2), granularity: .perChannel).apply(to: net)
        #expect(TestNetworks.weights(perChannel, 0).storage == [4, 0, -4, 0.5, -0.5, 0])
    }

    /// `Δ = 0.7·mean|w| = 0.7·1.6 = 1.12`; kept positives {3, 2} → 2.5, kept negatives {−2.6} → −2.6.
    @Test func ternaryUsesTheThresholdAndTwoScales() throws {
        let net = try Network(inputShape: [1, 5], layers: [TestNetworks.dense([[3, 2, -2.6, 0.2, 0.2]], [0])])
        let q = try Quantization(.ternary).apply(to: net)
        #expect(TestNetworks.weights(q, 0).storage == [2.5, 2.5, Double(Float(-2.6)), 0, 0])
    }

    /// 3 bits: exponents `top = round(log₂ 8) = 3` down to `top − 2 = 1`; 0.3 falls below and becomes 0.
    @Test func powerOfTwoRoundsExponentsInTheWindow() throws {
        let net = try Network(inputShape: [1, 5], layers: [TestNetworks.dense([[8, -3, 2.9, 1.6, 0.3]], [0])])
        let q = try Quantization(.powerOfTwo(bits: 3)).apply(to: net)
        #expect(TestNetworks.weights(q, 0).storage == [8, -4, 4, 2, 0])
    }

    @Test(arguments: [1, 9]) func bitsOutside2to8AreRefused(bits: Int) throws {
        let net = try TestNetworks.mlp([2, 2], seed: 1)
        #expect(throws: CompressionError.invalidBits(bits)) { try Quantization(.uniform(bits: bits)).apply(to: net) }
        #expect(throws: CompressionError.invalidBits(bits)) { try Quantization(.powerOfTwo(bits: bits)).apply(to: net) }
    }
}
