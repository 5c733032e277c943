import Foundation
import Tensor

/// The GNN branching model (after Lu & Kumar, ICLR 2020): embeddings of size `p` on the network's graph
/// (``GNNGraph``), `T` rounds of forward and backward message passing, and a 2-layer MLP scoring each ReLU node.
///
/// With `x̂` a node's normalised features (``normalisation``) and `E_g` the `n_g × p` embeddings of graph layer `g`:
/// - initial embeddings, per node type `t` (input, ReLU, output): `E_g = relu(x̂ W_tᵀ + b_t)`;
/// - each round, a forward pass for `g = 1 … R+1`: `E_g ← relu(E_g A_fᵀ + σ S_{g−1}(E_{g−1}) B_fᵀ + c_f)` with the
///   ReLU block (`f = 0`) or the output block (`f = 1`), `S_s` the linear stage `s` of the graph and `σ`, `σ′` its fixed message scales (``GNNGraph/forwardScale``); then a backward
///   pass for `g = R … 0`: `E_g ← relu(E_g A_bᵀ + σ′ S_gᵀ(E_{g+1}) B_bᵀ + c_b)` with the ReLU block (`b = 2`) or the
///   input block (`b = 3`);
/// - the score of a ReLU node: `w₂ · relu(E W₁ᵀ + b₁) + b₂`.
///
/// All parameters live in one contiguous vector ``parameters`` (layout: ``Layout``); every product is a BLAS
/// `gemm`. ``gradient(graph:features:scoreGradient:)`` is the exact reverse-mode derivative.
public struct GNNModel: Sendable, Hashable {
    /// Where each parameter block starts in ``parameters``.
    public struct Layout: Sendable, Hashable {
        /// The embedding size.
        public let p: Int
        /// Start of `W_t` (`p × width_t`) and `b_t` (`p`) for node types 0, 1, 2.
        public let embed: [(w: Int, b: Int)]
        /// Start of `A` (`p × p`), `B` (`p × p`) and `c` (`p`) for update blocks 0 (forward ReLU), 1 (forward
        /// output), 2 (backward ReLU), 3 (backward input).
        public let update: [(a: Int, b: Int, c: Int)]
        /// Start of `W₁` (`p × p`), `b₁` (`p`), `w₂` (`p`), `b₂` (1).
        public let score: (w1: Int, b1: Int, w2: Int, b2: Int)
        /// Total parameter count.
        public let count: Int

        /// The layout for embedding size `p`.
        public init(p: Int) {
            self.p = p
            var at = 0
            var embed: [(Int, Int)] = []
            for t in 0..<3 {
                let w = at
                at += p * GraphFeatures.width(type: t)
                embed.append((w, at))
                at += p
            }
            var update: [(Int, Int, Int)] = []
            for _ in 0..<4 {
                update.append((at, at + p * p, at + 2 * p * p))
                at += 2 * p * p + p
            }
            score = (at, at + p * p, at + p * p + p, at + p * p + 2 * p)
            at += p * p + 2 * p + 1
            self.embed = embed
            self.update = update
            count = at
        }

        public static func == (a: Layout, b: Layout) -> Bool { a.p == b.p }
        public func hash(into h: inout Hasher) { h.combine(p) }
    }

    /// Per-feature mean and standard deviation of each node type (input, ReLU, output).
    public struct Normalisation: Sendable, Hashable, Codable {
        /// Per node type, the mean of each feature.
        public var mean: [[Double]]
        /// Per node type, the standard deviation of each feature (a zero deviation is treated as 1).
        public var deviation: [[Double]]

        /// The identity normalisation (mean 0, deviation 1).
        public static let identity = Normalisation(
            mean: (0..<3).map { [Double](repeating: 0, count: GraphFeatures.width(type: $0)) },
            deviation: (0..<3).map { [Double](repeating: 1, count: GraphFeatures.width(type: $0)) })

        /// A normalisation from its parts.
        public init(mean: [[Double]], deviation: [[Double]]) {
            self.mean = mean
            self.deviation = deviation
        }

        /// The mean and deviation of every feature over all nodes of `examples`.
        public init(fitting examples: [GraphFeatures]) {
            var sum = (0..<3).map { [Double](repeating: 0, count: GraphFeatures.width(type: $0)) }
            var square = sum
            var count = [0.0, 0.0, 0.0]
            for e in examples {
                for (g, f) in e.layers.enumerated() {
                    let t = GraphFeatures.type(ofLayer: g, count: e.layers.count), w = GraphFeatures.width(type: t)
                    for n in 0..<(f.count / w) {
                        for k in 0..<w {
                            sum[t][k] += f[n * w + k]
                            square[t][k] += f[n * w + k] * f[n * w + k]
                        }
                    }
                    count[t] += Double(f.count / w)
                }
            }
            let means = sum.indices.map { t in sum[t].map { $0 / max(count[t], 1) } }
            mean = means
            deviation = sum.indices.map { t in
                sum[t].indices.map { k in
                    let m = means[t][k], v = square[t][k] / max(count[t], 1) - m * m
                    let d = max(v, 0).squareRoot()
                    return d > 1e-12 ? d : 1
                }
            }
        }

        /// `features` normalised as node type `t`; a value that is not finite becomes 0.
        func apply(_ features: [Double], type t: Int) -> [Double] {
            let w = GraphFeatures.width(type: t)
            var out = features
            for i in out.indices {
                let k = i % w
                let d = deviation[t][k]
                let v = (out[i] - mean[t][k]) / (d > 0 && d.isFinite ? d : 1)
                out[i] = v.isFinite ? v : 0
            }
            return out
        }
    }

    /// The embedding size `p`.
    public let embedding: Int
    /// Rounds of forward + backward message passing `T`.
    public let rounds: Int
    /// The feature normalisation.
    public var normalisation: Normalisation
    /// Every parameter, in ``Layout`` order.
    public var parameters: [Double]
    /// The parameter layout.
    public var layout: Layout { Layout(p: embedding) }

    /// A model from its parts (`parameters.count` must match ``Layout/count``).
    public init(embedding: Int, rounds: Int, normalisation: Normalisation, parameters: [Double]) {
        self.embedding = embedding
        self.rounds = rounds
        self.normalisation = normalisation
        self.parameters = parameters
    }

    /// A freshly initialised model (He-style uniform weights, zero biases) from a seed.
    public init(embedding p: Int = 64, rounds: Int = 2, normalisation: Normalisation = .identity, seed: UInt64) {
        let layout = Layout(p: p)
        var rng = SplitMix64(seed: seed)
        var w = [Double](repeating: 0, count: layout.count)
        func fill(_ start: Int, _ count: Int, fanIn: Int, gain: Double = 1) {
            let s = gain * (3.0 / Double(max(fanIn, 1))).squareRoot()
            for i in start..<(start + count) { w[i] = Double.random(in: -s...s, using: &rng) }
        }
        for t in 0..<3 { fill(layout.embed[t].w, p * GraphFeatures.width(type: t), fanIn: GraphFeatures.width(type: t)) }
        for u in layout.update {
            fill(u.a, p * p, fanIn: p, gain: 0.7)
            fill(u.b, p * p, fanIn: p, gain: 0.7)
        }
        fill(layout.score.w1, p * p, fanIn: p)
        fill(layout.score.w2, p, fanIn: p)
        self.init(embedding: p, rounds: rounds, normalisation: normalisation, parameters: w)
    }

    // MARK: - Forward

    /// One recorded update `E_g ← relu(E_old Aᵀ + M Bᵀ + c)`.
    struct Update {
        var layer: Int
        var block: Int
        var old: [Double]
        var message: [Double]
        var new: [Double]
    }

    /// Everything the reverse pass needs.
    struct Tape {
        var features: [[Double]]
        var initial: [[Double]]
        var updates: [Update]
        var final: [[Double]]
        var hidden: [[Double]]
    }

    /// The score of every ReLU node: per graph layer `1 … R`, one score per node.
    public func scores(graph: GNNGraph, features: GraphFeatures) -> [[Double]] {
        run(graph: graph, features: features).scores
    }

    private func slice(_ start: Int, _ count: Int) -> [Double] { Array(parameters[start..<(start + count)]) }

    private func scaled(_ v: [Double], _ factor: Double) -> [Double] { factor == 1 ? v : v.map { $0 * factor } }

    /// `relu(x Wᵀ + b)` for `x` `n × k`, `W` `p × k` at `w`, `b` at `b`, plus optionally `m Bᵀ`.
    private func affineReLU(_ x: [Double], n: Int, k: Int, w: Int, b: Int, message: [Double]? = nil, bm: Int = 0)
        -> [Double]
    {
        let p = embedding
        var z = [Double](repeating: 0, count: n * p)
        // Both products read their weight blocks in place and the second adds onto the first.
        BLAS.gemm(m: n, n: p, k: k, a: x, .init(offset: 0, leading: k), transposeA: false, b: parameters,
                  .init(offset: w, leading: k), transposeB: true, c: &z, .init(offset: 0, leading: p))
        if let message {
            BLAS.gemm(m: n, n: p, k: p, a: message, .init(offset: 0, leading: p), transposeA: false, b: parameters,
                      .init(offset: bm, leading: p), transposeB: true, c: &z, .init(offset: 0, leading: p),
                      accumulating: true)
        }
        for i in 0..<n { for c in 0..<p { z[i * p + c] = max(0, z[i * p + c] + parameters[b + c]) } }
        return z
    }

    func run(graph: GNNGraph, features: GraphFeatures) -> (scores: [[Double]], tape: Tape) {
        let p = embedding, L = layout
        let count = graph.sizes.count
        var x: [[Double]] = []
        var e: [[Double]] = []
        for g in 0..<count {
            let t = GraphFeatures.type(ofLayer: g, count: count), w = GraphFeatures.width(type: t)
            let n = graph.sizes[g]
            var f = g < features.layers.count ? features.layers[g] : []
            if f.count != n * w { f = [Double](repeating: 0, count: n * w) }
            f = normalisation.apply(f, type: t)
            x.append(f)
            e.append(affineReLU(f, n: n, k: w, w: L.embed[t].w, b: L.embed[t].b))
        }
        let initial = e
        var updates: [Update] = []
        func update(_ g: Int, block: Int, message m: [Double]) {
            let u = L.update[block]
            let new = affineReLU(e[g], n: graph.sizes[g], k: p, w: u.a, b: u.c, message: m, bm: u.b)
            updates.append(Update(layer: g, block: block, old: e[g], message: m, new: new))
            e[g] = new
        }
        for round in 0..<rounds {
            for g in 1..<count {
                update(g, block: g == count - 1 ? 1 : 0, message: scaled(graph.forward(stage: g - 1, e[g - 1], channels: p), graph.forwardScale[g - 1]))
            }
            // The last round's update of the inputs reaches no score (only ReLU nodes are scored, and nothing
            // follows it), so it is skipped; its gradient would be zero.
            let last = round == rounds - 1 ? 1 : 0
            for g in stride(from: count - 2, through: last, by: -1) {
                update(g, block: g == 0 ? 3 : 2, message: scaled(graph.backward(stage: g, e[g + 1], channels: p), graph.backwardScale[g]))
            }
        }
        var scores: [[Double]] = []
        var hidden: [[Double]] = []
        for g in 1..<(count - 1) {
            let n = graph.sizes[g]
            let h = affineReLU(e[g], n: n, k: p, w: L.score.w1, b: L.score.b1)
            var s = [Double](repeating: parameters[L.score.b2], count: n)
            if n > 0 {
                var hw = [Double](repeating: 0, count: n)
                BLAS.gemv(m: n, n: p, a: h, transpose: false, x: slice(L.score.w2, p), y: &hw)
                for i in 0..<n { s[i] += hw[i] }
            }
            scores.append(s)
            hidden.append(h)
        }
        return (scores, Tape(features: x, initial: initial, updates: updates, final: e, hidden: hidden))
    }

    // MARK: - Reverse

    /// `∂ℓ/∂parameters` given `∂ℓ/∂scores` (same shape as ``scores(graph:features:)``), with the scores.
    public func gradient(graph: GNNGraph, features: GraphFeatures, scoreGradient ds: [[Double]])
        -> (scores: [[Double]], gradient: [Double])
    {
        let (scores, tape) = run(graph: graph, features: features)
        let p = embedding, L = layout
        let count = graph.sizes.count
        var grad = [Double](repeating: 0, count: parameters.count)
        var de = graph.sizes.map { [Double](repeating: 0, count: $0 * p) }

        /// Accumulates `dzᵀ x` (`p × k`) into the block at `w`.
        func addOuter(_ dz: [Double], _ x: [Double], n: Int, k: Int, at w: Int) {
            guard n > 0 else { return }
            BLAS.gemm(m: p, n: k, k: n, a: dz, .init(offset: 0, leading: p), transposeA: true, b: x,
                      .init(offset: 0, leading: k), c: &grad, .init(offset: w, leading: k), accumulating: true)
        }
        func addColumnSums(_ dz: [Double], n: Int, at b: Int) {
            for i in 0..<n { for c in 0..<p { grad[b + c] += dz[i * p + c] } }
        }
        /// `dz W` for `W` `p × k` at `w`: `n × k`.
        func back(_ dz: [Double], n: Int, k: Int, w: Int) -> [Double] {
            var out = [Double](repeating: 0, count: n * k)
            BLAS.gemm(m: n, n: k, k: p, a: dz, .init(offset: 0, leading: p), transposeA: false, b: parameters,
                      .init(offset: w, leading: k), c: &out, .init(offset: 0, leading: k))
            return out
        }

        // Scorer.
        for g in 1..<(count - 1) {
            let n = graph.sizes[g], h = tape.hidden[g - 1]
            let d = g - 1 < ds.count && ds[g - 1].count == n ? ds[g - 1] : [Double](repeating: 0, count: n)
            var dz = [Double](repeating: 0, count: n * p)
            for i in 0..<n where d[i] != 0 {
                grad[L.score.b2] += d[i]
                for c in 0..<p {
                    grad[L.score.w2 + c] += d[i] * h[i * p + c]
                    if h[i * p + c] > 0 { dz[i * p + c] = d[i] * parameters[L.score.w2 + c] }
                }
            }
            addOuter(dz, tape.final[g], n: n, k: p, at: L.score.w1)
            addColumnSums(dz, n: n, at: L.score.b1)
            let dx = back(dz, n: n, k: p, w: L.score.w1)
            for i in dx.indices { de[g][i] += dx[i] }
        }
        // Updates, in reverse.
        for u in tape.updates.reversed() {
            let g = u.layer, n = graph.sizes[g], block = L.update[u.block]
            var dz = de[g]
            for i in dz.indices where u.new[i] <= 0 { dz[i] = 0 }
            addOuter(dz, u.old, n: n, k: p, at: block.a)
            addOuter(dz, u.message, n: n, k: p, at: block.b)
            addColumnSums(dz, n: n, at: block.c)
            de[g] = back(dz, n: n, k: p, w: block.a)
            let dm = back(dz, n: n, k: p, w: block.b)
            if u.block <= 1 {
                let dsrc = scaled(graph.backward(stage: g - 1, dm, channels: p), graph.forwardScale[g - 1])
                for i in dsrc.indices { de[g - 1][i] += dsrc[i] }
            } else {
                let dsrc = scaled(graph.forward(stage: g, dm, channels: p), graph.backwardScale[g])
                for i in dsrc.indices { de[g + 1][i] += dsrc[i] }
            }
        }
        // Initial embeddings.
        for g in 0..<count {
            let t = GraphFeatures.type(ofLayer: g, count: count), w = GraphFeatures.width(type: t)
            var dz = de[g]
            for i in dz.indices where tape.initial[g][i] <= 0 { dz[i] = 0 }
            addOuter(dz, tape.features[g], n: graph.sizes[g], k: w, at: L.embed[t].w)
            addColumnSums(dz, n: graph.sizes[g], at: L.embed[t].b)
        }
        return (scores, grad)
    }
}
