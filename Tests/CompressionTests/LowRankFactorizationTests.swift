import NetworkCompression
import Network
import Tensor
import Testing

@Suite struct LowRankFactorizationTests {
    /// A rank-2 matrix `8 × 6` is reproduced by a rank-2 factorisation (up to Float32 rounding).
    @Test func aRankTwoLayerIsReproduced() throws {
        let left: [Double] = [-2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2]
        let right: [Double] = [-1, 0.5, 1, -0.5, 0, 1.5, -1, 0.5, 1, -0.5, 0, 1.5].reversed()
        let w = Matrix(rows: 8, columns: 2, storage: left).multiplied(by: Matrix(rows: 2, columns: 6, storage: right))
        let bias = [Double](repeating: 1, count: 8)
        let net = try Network(inputShape: [1, 6], layers: [.dense(Dense(weights: w, bias: bias))])
        let factorised = try LowRankFactorization(.rank(2)).apply(to: net)
        #expect(factorised.layers.count == 2)
        #expect(TestNetworks.weights(factorised, 0).rows == 2 && TestNetworks.weights(factorised, 1).columns == 2)
        for x in TestNetworks.inputs(count: 10, dimension: 6, seed: 1) {
            let (a, b): ([Double], [Double]) = (factorised.evaluate(x), net.evaluate(x))
            for i in b.indices { #expect(Swift.abs(a[i] - b[i]) <= 1e-5 * (1 + Swift.abs(b[i]))) }
        }
    }

    /// A wide layer (`3 × 8`, rank 1) goes through the left singular vectors (`WWᵀ`, the smaller Gram matrix).
    @Test func aWideRankOneLayerIsReproduced() throws {
        let u: [Double] = [1, -2, 0.5], v: [Double] = [3, 0, -1, 2, 0.25, -0.5, 1, 4]
        let w = Matrix(rows: 3, columns: 8, storage: u.flatMap { a in v.map { a * $0 } })
        let net = try Network(inputShape: [1, 8], layers: [.dense(Dense(weights: w, bias: [1, 2, 3]))])
        let factorised = try LowRankFactorization(.rank(1)).apply(to: net)
        #expect(TestNetworks.weights(factorised, 0).rows == 1 && TestNetworks.weights(factorised, 1).columns == 1)
        for x in TestNetworks.inputs(count: 10, dimension: 8, seed: 2) {
            let (a, b): ([Double], [Double]) = (factorised.evaluate(x), net.evaluate(x))
            for i in b.indices { #expect(Swift.abs(a[i] - b[i]) <= 1e-5 * (1 + Swift.abs(b[i]))) }
        }
    }

    @Test func energyChoosesTheSmallestSufficientRank() throws {
        // Singular values 4, 2, 1 (diagonal): 16 / 21 < 0.8 ≤ 20 / 21, so rank 2 keeps 80%.
        var w = Matrix(rows: 6, columns: 6)
        (w[0, 0], w[1, 1], w[2, 2]) = (4, 2, 1)
        let net = try Network(inputShape: [1, 6], layers: [.dense(Dense(weights: w, bias: [Double](repeating: 0, count: 6)))])
        let factorised = try LowRankFactorization(.energy(0.8)).apply(to: net)
        #expect(TestNetworks.weights(factorised, 0).rows == 2)
    }

    @Test func aFactorisationThatSavesNothingLeavesTheLayer() throws {
        let net = try TestNetworks.mlp([4, 4, 2], seed: 3)
        #expect(try LowRankFactorization(.rank(3)).apply(to: net) == net)
    }

    @Test func aLayerThatIsNotDenseIsRefused() throws {
        let net = try TestNetworks.mlp([4, 4, 2], seed: 3)
        #expect(throws: CompressionError.notDense(layer: 1, kind: "ReLU")) {
            try LowRankFactorization(.rank(1), layers: [1]).apply(to: net)
        }
        #expect(throws: CompressionError.invalidRank(0)) { try LowRankFactorization(.rank(0)).validate() }
    }
}
