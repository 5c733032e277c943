import Network
import Tensor

/// Weight sharing: the non-zero weights of each layer take at most `K` distinct values; zeros stay zero, so a
/// pruned layer keeps its sparsity.
///
/// - ``Method/kMeans(iterations:)``: one-dimensional k-means (Deep Compression): the `K` centroids start evenly
///   spaced between the smallest and the largest non-zero weight (the linear initialisation, deterministic),
///   then Lloyd iterations assign each weight to its nearest centroid and move each centroid to the mean of its
///   weights, until no assignment changes or `iterations` have run.
/// - ``Method/hashed(seed:)``: HashedNets-style buckets: weight position `p` of layer `l` goes to bucket
///   `hash(seed, l, p) mod K` (SplitMix64), whatever its value, and every weight of a bucket becomes the bucket's
///   mean. Only the seed and the `K` values need storing; the error is larger than k-means'.
///
/// Shared values are rounded to Float32.
public struct WeightSharing: Sendable, Hashable {
    /// How weights are grouped.
    public enum Method: Sendable, Hashable, CustomStringConvertible {
        /// Nearest of `K` centroids, fitted by Lloyd iterations.
        case kMeans(iterations: Int)
        /// A bucket chosen by hashing the weight's position.
        case hashed(seed: UInt64)

        /// `k-means` or `hashed, seed S`.
        public var description: String {
            switch self {
            case .kMeans: "k-means"
            case let .hashed(seed): "hashed, seed \(seed)"
            }
        }
    }

    /// Number of shared values per layer, 2…256.
    public var clusters: Int
    /// How weights are grouped.
    public var method: Method

    /// Sharing `clusters` values per layer (k-means with up to 100 Lloyd iterations by default).
    public init(clusters: Int, method: Method = .kMeans(iterations: 100)) {
        self.clusters = clusters
        self.method = method
    }

    /// Checks the number of clusters.
    public func validate() throws(CompressionError) {
        guard (2...256).contains(clusters) else { throw .invalidClusterCount(clusters) }
    }

    /// The network with each layer's non-zero weights replaced by their shared values.
    public func apply(to network: Network) throws(CompressionError) -> Network {
        try validate()
        return try network.mappingWeights(step: "weight sharing") { tensor in
            let positions = tensor.values.indices.filter { tensor.values[$0] != 0 }
            let nonzero = positions.map { tensor.values[$0] }
            let assignment = switch method {
            case let .kMeans(iterations): Self.kMeans(nonzero, clusters: clusters, iterations: iterations)
            case let .hashed(seed): positions.map { Self.bucket(seed: seed, layer: tensor.layer, position: $0, clusters) }
            }
            let shared = Self.means(nonzero, assignment, clusters: clusters).map(float32Rounded)
            var values = tensor.values
            for (k, p) in positions.enumerated() { values[p] = shared[assignment[k]] }
            return values
        }
    }

    /// The cluster of each value: Lloyd iterations from centroids evenly spaced over `[min, max]`.
    ///
    /// In one dimension a cluster is a run of the sorted values between two midpoints of centroids, so each
    /// iteration finds the runs by binary search and their means from prefix sums: O(K log n), after one sort.
    static func kMeans(_ values: [Double], clusters k: Int, iterations: Int) -> [Int] {
        let sorted = values.sorted()
        guard let low = sorted.first, let high = sorted.last else { return [] }
        var prefix = [0.0]
        prefix.reserveCapacity(sorted.count + 1)
        for v in sorted { prefix.append(prefix[prefix.count - 1] + v) }
        var centroids = (0..<k).map { low + (high - low) * Double($0) / Double(k - 1) }
        var bounds: [Int] = []
        for _ in 0..<max(1, iterations) {
            let next = runBounds(sorted, centroids)
            if next == bounds { break }
            bounds = next
            for c in 0..<k where bounds[c + 1] > bounds[c] {
                centroids[c] = (prefix[bounds[c + 1]] - prefix[bounds[c]]) / Double(bounds[c + 1] - bounds[c])
            }
            centroids.sort()
        }
        return values.map { nearest($0, in: centroids) }
    }

    /// `bounds[c]..<bounds[c + 1]` are the sorted values nearest to centroid `c` (ties to the lower centroid).
    static func runBounds(_ sorted: [Double], _ centroids: [Double]) -> [Int] {
        var bounds = [0]
        for c in 1..<centroids.count {
            let midpoint = centroids[c - 1] + (centroids[c] - centroids[c - 1]) / 2
            var lo = bounds[c - 1], hi = sorted.count
            while lo < hi {  // first value above the midpoint
                let mid = (lo + hi) / 2
                if sorted[mid] <= midpoint { lo = mid + 1 } else { hi = mid }
            }
            bounds.append(lo)
        }
        return bounds + [sorted.count]
    }

    /// The index of the centroid nearest to `x` (the first among equally near ones); `centroids` is sorted.
    static func nearest(_ x: Double, in centroids: [Double]) -> Int {
        var lo = 0, hi = centroids.count - 1
        while lo < hi {  // first centroid ≥ x
            let mid = (lo + hi) / 2
            if centroids[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 && x - centroids[lo - 1] <= centroids[lo] - x ? lo - 1 : lo
    }

    /// The mean of the values of each cluster (NaN for an empty cluster).
    static func means(_ values: [Double], _ assignment: [Int], clusters k: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: k), counts = [Int](repeating: 0, count: k)
        for (v, c) in zip(values, assignment) {
            sums[c] += v
            counts[c] += 1
        }
        return (0..<k).map { counts[$0] == 0 ? .nan : sums[$0] / Double(counts[$0]) }
    }

    /// The bucket of weight `position` of layer `layer`.
    static func bucket(seed: UInt64, layer: Int, position: Int, _ clusters: Int) -> Int {
        var rng = SplitMix64(seed: seed &+ UInt64(layer) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(position))
        return Int(rng.next() % UInt64(clusters))
    }
}
