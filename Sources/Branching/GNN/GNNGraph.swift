public import Network
import Tensor

/// The verified network seen as the GNN's graph (Lu & Kumar 2020): graph layer 0 holds one node per input
/// coordinate, graph layers `1…R` one node per neuron of each ReLU layer (the tensor entering it), and graph
/// layer `R + 1` one node per output. Between consecutive graph layers lies one *linear stage*: the network's
/// layers between them with their biases dropped, kept as a sequence of operations (dense products,
/// convolutions and transposed convolutions, sparse maps for pools, elementwise scales), so messages pass forward
/// by the stage and backward by its transpose.
///
/// Embeddings are stored node-major: a graph layer of `n` nodes with `p` channels is an `n × p` row-major array,
/// so a dense stage is one BLAS product on all `p` channels, a convolution the layer's own im2col and BLAS
/// products on that layout (``Network/Conv2D/applyLinear(nodeMajor:channels:)``), and a pool a sparse map whose
/// inner loop runs over the `p` contiguous channels. Max pooling passes messages as average pooling and
/// sigmoid/tanh as the identity (the graph is for ReLU splitting; those layers are not graph nodes).
public struct GNNGraph: Sendable {
    /// One linear operation of a stage.
    enum Operation: Sendable {
        /// `y = W x` (W `out × in`).
        case dense(Matrix)
        /// `y = K x` for the linear part `K` of a convolution.
        case convolution(Conv2D)
        /// `y = Kᵀ x` for the linear part `K` of a convolution: a transposed convolution, held as its adjoint.
        case adjointConvolution(Conv2D)
        /// `y_r = Σ w·x_c` over the row's entries (compressed sparse rows).
        case sparse(SparseMap)
        /// `y_i = s_i x_i`.
        case scale([Double])
    }

    /// A sparse linear map in compressed-row form.
    struct SparseMap: Sendable {
        var rows: Int
        var columns: Int
        var rowStart: [Int]
        var column: [Int]
        var value: [Double]

        /// `out += M v` (or `Mᵀ v`) on node-major `p`-channel arrays: the inner loop runs over contiguous channels.
        func apply(_ v: [Double], into out: inout [Double], channels p: Int, transposed: Bool) {
            v.withUnsafeBufferPointer { pv in
                out.withUnsafeMutableBufferPointer { po in
                    rowStart.withUnsafeBufferPointer { rs in
                        column.withUnsafeBufferPointer { col in
                            value.withUnsafeBufferPointer { val in
                                guard let src = pv.baseAddress, let dst = po.baseAddress else { return }
                                for r in 0..<rows {
                                    let ro = r * p
                                    for e in rs[r]..<rs[r + 1] {
                                        let w = val[e], co = col[e] * p
                                        if transposed {
                                            let a = dst + co, b = src + ro
                                            for c in 0..<p { a[c] += w * b[c] }
                                        } else {
                                            let a = dst + ro, b = src + co
                                            for c in 0..<p { a[c] += w * b[c] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The network's layer index of each ReLU layer, in order (graph layer `g` is `reluLayers[g − 1]`).
    public let reluLayers: [Int]
    /// Node count of each graph layer (inputs, each ReLU layer, outputs).
    public let sizes: [Int]
    /// `stages[s]` maps graph layer `s` to graph layer `s + 1`.
    let stages: [[Operation]]
    /// The affine offset of each stage (the stage's layers applied to zero with their biases): the "bias" feature
    /// of the nodes of graph layer `s + 1`.
    public let stageBias: [[Double]]
    /// Per stage, the factor applied to forward messages: 1 / RMS of the stage applied to a fixed ±1 vector, so that
    /// a message has about the size of the embeddings it came from, whatever the layer's fan-in.
    public private(set) var forwardScale: [Double] = []
    /// Per stage, the same factor for backward messages (the transpose applied to a fixed ±1 vector).
    public private(set) var backwardScale: [Double] = []

    /// The graph of `network`.
    public init(network: Network) {
        var relus: [Int] = []
        for (i, layer) in network.layers.enumerated() where layer == .relu { relus.append(i) }
        reluLayers = relus
        var sizes = [network.inputCount]
        for r in relus { sizes.append(network.inputShape(ofLayer: r).reduce(1, *)) }
        sizes.append(network.outputCount)
        self.sizes = sizes
        let bounds = [-1] + relus + [network.layers.count]
        stages = (0..<(bounds.count - 1)).map { s in
            ((bounds[s] + 1)..<bounds[s + 1]).compactMap { Self.operation(network.layers[$0]) }
        }
        stageBias = PreActivationBias(network: network).stages
        var rng = SplitMix64(seed: 0x6E6E)
        func gain(_ v: [Double]) -> Double {
            let rms = (v.reduce(0) { $0 + $1 * $1 } / Double(max(v.count, 1))).squareRoot()
            return rms > 1e-12 && rms.isFinite ? 1 / rms : 1
        }
        for s in stages.indices {
            let r = (0..<sizes[s]).map { _ in Bool.random(using: &rng) ? 1.0 : -1.0 }
            let q = (0..<sizes[s + 1]).map { _ in Bool.random(using: &rng) ? 1.0 : -1.0 }
            forwardScale.append(gain(forward(stage: s, r, channels: 1)))
            backwardScale.append(gain(backward(stage: s, q, channels: 1)))
        }
    }

    /// The linear operation of one layer (nil for the identity).
    static func operation(_ layer: Layer) -> Operation? {
        switch layer {
        case .dense(let d): return .dense(d.weights)
        case .conv2d(let c): return .convolution(c)
        case .convTranspose(let t): return .adjointConvolution(t.adjoint)
        case .elementwise(let e): return .scale(e.scale)
        case .averagePool(let p), .maxPool(let p): return .sparse(pooling(p))
        case .relu, .sigmoid, .tanh, .softmax, .reshape: return nil
        }
    }

    private static func pooling(_ p: Pool2D) -> SparseMap {
        var rowStart = [0], column: [Int] = [], value: [Double] = []
        let outputs = p.channels * p.outputHeight * p.outputWidth
        for out in 0..<outputs {
            let w = p.window(of: out)
            for k in w.indices {
                column.append(k)
                value.append(1 / Double(max(w.divisor, 1)))
            }
            rowStart.append(column.count)
        }
        return SparseMap(
            rows: outputs, columns: p.channels * p.inputHeight * p.inputWidth, rowStart: rowStart, column: column,
            value: value)
    }

    /// Stage `s` applied to node-major embeddings `x` (`sizes[s] × p`): `sizes[s + 1] × p`.
    func forward(stage s: Int, _ x: [Double], channels p: Int) -> [Double] {
        pass(stage: s, x, channels: p, transposed: false)
    }

    /// The transpose of stage `s` applied to node-major embeddings `y` (`sizes[s + 1] × p`): `sizes[s] × p`.
    func backward(stage s: Int, _ y: [Double], channels p: Int) -> [Double] {
        pass(stage: s, y, channels: p, transposed: true)
    }

    /// Stage `s`, or its transpose (the operations in reverse order, each transposed); an operation whose input
    /// size does not match gives zeros, a scale that does not match is skipped.
    private func pass(stage s: Int, _ x: [Double], channels p: Int, transposed: Bool) -> [Double] {
        var v = x
        var n = sizes[transposed ? s + 1 : s]
        for op in transposed ? Array(stages[s].reversed()) : stages[s] {
            let (input, output) = op.sizes(transposed: transposed)
            if input == n {
                v = op.apply(consume v, channels: p, transposed: transposed)
            } else if case .scale = op {
                continue
            } else {
                v = [Double](repeating: 0, count: output * p)
            }
            n = output
        }
        let expected = sizes[transposed ? s : s + 1] * p
        return v.count == expected ? v : [Double](repeating: 0, count: expected)
    }
}

extension GNNGraph.Operation {
    /// Input and output node counts of the operation, or of its transpose.
    func sizes(transposed: Bool) -> (input: Int, output: Int) {
        let (input, output): (Int, Int)
        switch self {
        case .dense(let w): (input, output) = (w.columns, w.rows)
        case .convolution(let c): (input, output) = (c.inputCount, c.outputCount)
        case .adjointConvolution(let c): (input, output) = (c.outputCount, c.inputCount)
        case .sparse(let m): (input, output) = (m.columns, m.rows)
        case .scale(let s): (input, output) = (s.count, s.count)
        }
        return transposed ? (output, input) : (input, output)
    }

    /// The operation, or its transpose, on node-major embeddings `v` of the input size with `p` channels.
    func apply(_ v: consuming [Double], channels p: Int, transposed: Bool) -> [Double] {
        let (input, output) = sizes(transposed: transposed)
        switch self {
        case .dense(let w):
            var y = [Double](repeating: 0, count: output * p)
            BLAS.gemm(m: output, n: p, k: input, a: w.storage, transposeA: transposed, b: v, transposeB: false, c: &y)
            return y
        case .convolution(let c):
            return transposed
                ? c.applyLinearTransposed(nodeMajor: v, channels: p) : c.applyLinear(nodeMajor: v, channels: p)
        case .adjointConvolution(let c):
            return transposed
                ? c.applyLinear(nodeMajor: v, channels: p) : c.applyLinearTransposed(nodeMajor: v, channels: p)
        case .sparse(let m):
            var y = [Double](repeating: 0, count: output * p)
            m.apply(v, into: &y, channels: p, transposed: transposed)
            return y
        case .scale(let s):
            var y = consume v  // scaled in place
            for i in 0..<input { for c in 0..<p { y[i * p + c] *= s[i] } }
            return y
        }
    }
}
