import NetworkCompression
import Network
import Testing

@Suite struct WeightSharingTests {
    @Test(arguments: [2, 4, 16]) func kMeansGivesAtMostKNonzeroValues(k: Int) throws {
        let net = try TestNetworks.mlp([10, 20, 5], seed: 4)
        let shared = try WeightSharing(clusters: k).apply(to: net)
        for tensor in shared.weightTensors { #expect(Set(tensor.values.filter { $0 != 0 }).count <= k) }
    }

    /// Two obvious clusters {1, 1.2} and {5, 5.4}; the zero stays zero.
    @Test func kMeansFindsTheClusterMeans() throws {
        let net = try Network(inputShape: [1, 5], layers: [TestNetworks.dense([[1, 5, 1.2, 0, 5.4]], [0])])
        let shared = try WeightSharing(clusters: 2).apply(to: net)
        #expect(TestNetworks.weights(shared, 0).storage == [1.1, 5.2, 1.1, 0, 5.2].map { Double(Float($0)) })
    }

    @Test func kMeansIsDeterministic() throws {
        let net = try TestNetworks.mlp([10, 20, 5], seed: 4)
        #expect(try WeightSharing(clusters: 8).apply(to: net) == WeightSharing(clusters: 8).apply(to: net))
    }

    @Test func hashedBucketsDependOnTheSeedOnly() throws {
        let net = try TestNetworks.mlp([10, 20, 5], seed: 4)
        let a = try WeightSharing(clusters: 8, method: .hashed(seed: 1)).apply(to: net)
        #expect(try a == WeightSharing(clusters: 8, method: .hashed(seed: 1)).apply(to: net))
        #expect(try a != WeightSharing(clusters: 8, method: .hashed(seed: 2)).apply(to: net))
        for tensor in a.weightTensors { #expect(Set(tensor.values).count <= 8) }
    }

    @Test(arguments: [1, 257]) func clusterCountsOutside2to256AreRefused(k: Int) {
        #expect(throws: CompressionError.invalidClusterCount(k)) { try WeightSharing(clusters: k).validate() }
    }
}
