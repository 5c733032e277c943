import Network
import Tensor

/// Low-rank factorisation: a dense layer `y = W x + b` (`m × n`) becomes two dense layers
/// `y = (W V_r) (V_rᵀ x) + b`, where the columns of `V_r` are the top `r` right singular vectors of `W`
/// (eigenvectors of `WᵀW` by cyclic Jacobi; for a wide layer, `m < n`, the left ones from the smaller `WWᵀ`,
/// giving `y = U_r (U_rᵀ W x) + b`). This is the truncated SVD `U_r Σ_r V_rᵀ`, with no bias on the first
/// factor. The rank is given (``Target/rank(_:)``) or is the smallest keeping a fraction
/// of the energy `Σ σ_i²` (``Target/energy(_:)``). A layer is split only when the two factors hold fewer
/// weights than `W` (`r·(m + n) < m·n`), so some layers may stay whole.
public struct LowRankFactorization: Sendable, Hashable {
    /// How the rank is chosen.
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        /// A fixed rank, at least 1.
        case rank(Int)
        /// The smallest rank whose singular values keep this fraction of `‖W‖_F²`, in `(0, 1]`.
        case energy(Double)

        /// `rank R` or `energy E`.
        public var description: String {
            switch self {
            case let .rank(r): "rank \(r)"
            case let .energy(e): "energy \(e)"
            }
        }
    }

    /// How the rank is chosen.
    public var target: Target
    /// The dense layers to split (nil: every dense layer).
    public var layers: [Int]?

    /// Factorises `layers` (every dense layer when nil) to `target`.
    public init(_ target: Target, layers: [Int]? = nil) {
        self.target = target
        self.layers = layers
    }

    /// Checks the rank or energy.
    public func validate() throws(CompressionError) {
        switch target {
        case let .rank(r): guard r >= 1 else { throw .invalidRank(r) }
        case let .energy(e):
            guard e > 0, e <= 1 else { throw .invalidFraction(e, what: "kept energy", range: "(0, 1]") }
        }
    }

    /// The network with the chosen dense layers split in two.
    public func apply(to network: Network) throws(CompressionError) -> Network {
        try validate()
        let chosen = try chosenLayers(network)
        var layers: [Layer] = []
        for (i, layer) in network.layers.enumerated() {
            guard chosen.contains(i), case let .dense(d) = layer else {
                layers.append(layer)
                continue
            }
            layers += factorised(d)
        }
        return try network.replacingLayers(layers, step: "low-rank factorisation")
    }

    /// The indices of the layers to split; every named one must be dense.
    func chosenLayers(_ network: Network) throws(CompressionError) -> Set<Int> {
        let dense = network.layers.indices.filter { if case .dense = network.layers[$0] { true } else { false } }
        guard let layers else { return Set(dense) }
        for i in layers where !dense.contains(i) {
            let kind = network.layers.indices.contains(i) ? network.layers[i].kindName : "absent"
            throw .notDense(layer: i, kind: kind)
        }
        return Set(layers)
    }

    /// The two factors, or `[d]` when they would not be smaller. With `m ≤ n` the top eigenvectors `U_r` of
    /// `WWᵀ` give `[U_rᵀ W, (U_r, b)]`; otherwise those `V_r` of `WᵀW` give `[V_rᵀ, (W V_r, b)]`. Both are the
    /// truncated SVD (`U_r U_rᵀ W = W V_r V_rᵀ = U_r Σ_r V_rᵀ`); the first factor is rounded to Float32 before
    /// the second is formed from it.
    func factorised(_ d: Dense) -> [Layer] {
        let (m, n) = (d.outputCount, d.inputCount)
        let w = d.weights
        let gram = m <= n ? w.multiplied(byTransposeOf: w) : w.transposeMultiplied(by: w)
        let (values, vectors) = SymmetricEigen.jacobi(gram)
        let order = values.indices.sorted { values[$0] > values[$1] }
        let r = rank(sorted: order.map { max(0, values[$0]) })
        guard r * (m + n) < m * n else { return [.dense(d)] }
        let basis = Matrix(order.prefix(r).map { vectors.column($0) })  // r × min(m, n), orthonormal rows
        let zero = [Double](repeating: 0, count: r)
        if m <= n {
            let second = basis.transposed.mappingStorage(float32Rounded)
            let first = Dense(weights: second.transposeMultiplied(by: w).mappingStorage(float32Rounded), bias: zero)
            return [.dense(first), .dense(Dense(weights: second, bias: d.bias))]
        }
        let first = Dense(weights: basis.mappingStorage(float32Rounded), bias: zero)
        let second = w.multiplied(byTransposeOf: first.weights).mappingStorage(float32Rounded)
        return [.dense(first), .dense(Dense(weights: second, bias: d.bias))]
    }

    /// The rank for eigenvalues `σ_i²` sorted decreasingly.
    func rank(sorted energies: [Double]) -> Int {
        switch target {
        case let .rank(r): return min(r, energies.count)
        case let .energy(e):
            let total = energies.reduce(0, +)
            var kept = 0.0
            for (k, s) in energies.enumerated() {
                kept += s
                if kept >= e * total { return k + 1 }
            }
            return energies.count
        }
    }
}

extension Matrix {
    /// The matrix with `transform` applied to every entry.
    func mappingStorage(_ transform: (Double) -> Double) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: storage.map(transform))
    }
}
