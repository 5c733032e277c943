import Network
import Tensor
import Testing

/// Seeded random values in [-1, 1].
private func randomVector(_ n: Int, _ rng: inout SplitMix64) -> [Double] {
    (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
}

private func randomConv(_ rng: inout SplitMix64) -> Conv2D {
    let c = 2, h = 7, w = 6, o = 3, kh = 3, kw = 2
    return Conv2D(
        inputChannels: c, inputHeight: h, inputWidth: w, outputChannels: o, kernelHeight: kh, kernelWidth: kw,
        strideHeight: 2, strideWidth: 1, pads: [1, 0, 1, 1], dilationHeight: 1, dilationWidth: 2,
        weights: randomVector(o * c * kh * kw, &rng), bias: randomVector(o, &rng))
}

@Test func convolutionTransposeIsTheAdjoint() {
    var rng = SplitMix64(seed: 7)
    let conv = randomConv(&rng)
    let x = randomVector(conv.inputCount, &rng)
    let y = randomVector(conv.outputCount, &rng)
    let lhs = Vector.dot(conv.applyLinear(x), y)
    let rhs = Vector.dot(x, conv.applyLinearTransposed(y))
    #expect(abs(lhs - rhs) <= 1e-12 * (1 + abs(lhs)))
}

/// The im2col products (used by bound propagation) agree with the per-vector convolution and its transpose,
/// row by row, with padding, strides and dilation, and across blocks of rows (the large case: 10 rows of 144 taps
/// × 1,024 positions, 10 blocks of one row).
@Test(arguments: [false, true])
func batchedConvolutionAgreesRowByRow(large: Bool) {
    var rng = SplitMix64(seed: large ? 21 : 20)
    let conv = large
        ? Conv2D(inputChannels: 16, inputHeight: 32, inputWidth: 32, outputChannels: 4, kernelHeight: 3,
                 kernelWidth: 3, pads: [1, 1, 1, 1], weights: randomVector(4 * 16 * 9, &rng),
                 bias: randomVector(4, &rng))
        : randomConv(&rng)
    let rows = large ? 10 : 5
    let x = Matrix(rows: rows, columns: conv.inputCount, storage: randomVector(rows * conv.inputCount, &rng))
    let y = Matrix(rows: rows, columns: conv.outputCount, storage: randomVector(rows * conv.outputCount, &rng))
    let forward = conv.applyLinear(rows: x), backward = conv.applyLinearTransposed(rows: y)
    #expect(forward.rows == rows && forward.columns == conv.outputCount && backward.columns == conv.inputCount)
    for r in 0..<rows {
        for (u, v) in zip(forward.row(r), conv.applyLinear(x.row(r))) { #expect(abs(u - v) <= 1e-12 * (1 + abs(v))) }
        for (u, v) in zip(backward.row(r), conv.applyLinearTransposed(y.row(r))) {
            #expect(abs(u - v) <= 1e-12 * (1 + abs(v)))
        }
    }
}

/// A 3×3 convolution over an `size × size` input in `groups` groups, with strides (2, 1), padding [1, 0, 1, 2] and
/// dilation (1, 2), random filters and biases.
private func stridedGroupedConv(
    inputChannels c: Int, outputChannels o: Int, groups g: Int, size h: Int, _ rng: inout SplitMix64
) -> Conv2D {
    Conv2D(
        inputChannels: c, inputHeight: h, inputWidth: h, outputChannels: o, kernelHeight: 3, kernelWidth: 3,
        strideHeight: 2, strideWidth: 1, pads: [1, 0, 1, 2], dilationHeight: 1, dilationWidth: 2, groups: g,
        weights: Conv2D.expandingGroups(
            randomVector(o * (c / g) * 9, &rng), outputChannels: o, inputChannels: c, taps: 9, groups: g),
        bias: randomVector(o, &rng))
}

/// A grouped convolution's im2col products, one BLAS product per group, equal the products by its dense
/// equivalent (built tap by tap), forward and transposed, with strides, padding and dilation, in one block and
/// across many.
@Test(arguments: [false, true])
func groupedConvolutionProductsEqualTheDenseOnes(large: Bool) {
    var rng = SplitMix64(seed: large ? 31 : 30)
    let (c, o, g, h) = large ? (12, 24, 12, 24) : (6, 12, 3, 7)
    let conv = stridedGroupedConv(inputChannels: c, outputChannels: o, groups: g, size: h, &rng)
    let dense = conv.denseEquivalent().weights
    let rows = large ? 40 : 4  // 40 rows of 108 taps × 264 positions: 20 im2col blocks of 2 rows
    let x = Matrix(rows: rows, columns: conv.inputCount, storage: randomVector(rows * conv.inputCount, &rng))
    let y = Matrix(rows: rows, columns: conv.outputCount, storage: randomVector(rows * conv.outputCount, &rng))
    expectProducts(of: conv, on: x, y, equal: dense)
}

/// The im2col products walk each filter tap's window of output positions (``Conv2D`` gathers and scatters by
/// rectangles, not a per-position table): they equal the products by the dense expansion (built tap by tap) on
/// geometries that stress the windows' edges: CIFAR's 4×4 kernels at stride 2 with padding 1, unequal strides
/// and pads, a dilation so large that some taps read only padding (windows empty in rows and in columns), a
/// 1×1 kernel, and a kernel as large as the padded input (one output position).
@Test(arguments: 0..<5)
func convolutionProductsEqualTheDenseOnesOnEdgeGeometries(geometry: Int) {
    var rng = SplitMix64(seed: 50 + UInt64(geometry))
    // (channels, height, width, filters, kernel h, kernel w, stride h, stride w, pads, dilation h, dilation w)
    let shapes: [(Int, Int, Int, Int, Int, Int, Int, Int, [Int], Int, Int)] = [
        (3, 32, 32, 8, 4, 4, 2, 2, [1, 1, 1, 1], 1, 1),
        (2, 9, 7, 3, 3, 2, 3, 1, [2, 0, 1, 3], 1, 1),
        (2, 2, 2, 2, 3, 3, 1, 1, [3, 3, 3, 3], 3, 3),
        (4, 5, 5, 3, 1, 1, 2, 2, [0, 0, 0, 0], 1, 1),
        (2, 3, 4, 2, 5, 6, 1, 1, [1, 1, 1, 1], 1, 1),
    ]
    let (c, h, w, o, kh, kw, sh, sw, pads, dh, dw) = shapes[geometry]
    let conv = Conv2D(
        inputChannels: c, inputHeight: h, inputWidth: w, outputChannels: o, kernelHeight: kh, kernelWidth: kw,
        strideHeight: sh, strideWidth: sw, pads: pads, dilationHeight: dh, dilationWidth: dw,
        weights: randomVector(o * c * kh * kw, &rng), bias: randomVector(o, &rng))
    let dense = conv.denseEquivalent().weights
    let rows = 7
    let x = Matrix(rows: rows, columns: conv.inputCount, storage: randomVector(rows * conv.inputCount, &rng))
    let y = Matrix(rows: rows, columns: conv.outputCount, storage: randomVector(rows * conv.outputCount, &rng))
    expectProducts(of: conv, on: x, y, equal: dense)
}

/// `conv`'s im2col products of the rows of `x` (forward) and `y` (transposed) equal `dense`'s, row by row.
private func expectProducts(of conv: Conv2D, on x: Matrix, _ y: Matrix, equal dense: Matrix) {
    let forward = conv.applyLinear(rows: x), backward = conv.applyLinearTransposed(rows: y)
    for r in 0..<x.rows {
        for (u, v) in zip(forward.row(r), dense.multiplied(by: x.row(r))) { #expect(abs(u - v) <= 1e-12 * (1 + abs(v))) }
        for (u, v) in zip(backward.row(r), dense.transposeMultiplied(by: y.row(r))) {
            #expect(abs(u - v) <= 1e-12 * (1 + abs(v)))
        }
    }
}

/// The node-major products (a GNN's embeddings: `q` vectors interleaved entry by entry) equal the per-vector
/// convolution and its transpose on each vector, for a grouped, strided, padded and dilated convolution, in one
/// block of output positions and across several (the large case).
@Test(arguments: [false, true])
func nodeMajorConvolutionAgreesVectorByVector(large: Bool) {
    var rng = SplitMix64(seed: large ? 41 : 40)
    let (c, o, g, h, q) = large ? (12, 24, 4, 40, 40) : (6, 12, 3, 7, 3)
    let conv = stridedGroupedConv(inputChannels: c, outputChannels: o, groups: g, size: h, &rng)
    // Large: 108 taps × 40 channels = 4,320 column entries per position, so the 760 output positions take four
    // blocks of 2^20 entries.
    let x = randomVector(conv.inputCount * q, &rng), y = randomVector(conv.outputCount * q, &rng)
    let forward = conv.applyLinear(nodeMajor: x, channels: q), backward = conv.applyLinearTransposed(nodeMajor: y, channels: q)
    #expect(forward.count == conv.outputCount * q && backward.count == conv.inputCount * q)
    for k in 0..<q {
        let fx = conv.applyLinear((0..<conv.inputCount).map { x[$0 * q + k] })
        let bty = conv.applyLinearTransposed((0..<conv.outputCount).map { y[$0 * q + k] })
        #expect(fx.indices.allSatisfy { abs(forward[$0 * q + k] - fx[$0]) <= 1e-12 * (1 + abs(fx[$0])) })
        #expect(bty.indices.allSatisfy { abs(backward[$0 * q + k] - bty[$0]) <= 1e-12 * (1 + abs(bty[$0])) })
    }
}

@Test func convolutionDenseEquivalentAgrees() throws {
    var rng = SplitMix64(seed: 8)
    let conv = randomConv(&rng)
    let x = randomVector(conv.inputCount, &rng)
    let dense = conv.denseEquivalent()
    let a = Layer.conv2d(conv).apply(x)
    let b = Layer.dense(dense).apply(x)
    #expect(a.count == b.count)
    for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-12) }
}

@Test func convolutionKnownAnswer() throws {
    // 1 channel 3x3 input, 2x2 all-ones kernel, stride 1, no padding: sums of 2x2 windows.
    let conv = Conv2D(
        inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 1, kernelHeight: 2, kernelWidth: 2,
        weights: [1, 1, 1, 1], bias: [0.5])
    let y = Layer.conv2d(conv).apply([1, 2, 3, 4, 5, 6, 7, 8, 9] as [Double])
    #expect(y == [12.5, 16.5, 24.5, 28.5] as [Double])
}

@Test func poolingKnownAnswers() {
    let pool = Pool2D(channels: 1, inputHeight: 2, inputWidth: 4, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                      strideWidth: 2)
    let x: [Double] = [1, -2, 3, 4, 5, 6, -7, 8]
    #expect(Layer.maxPool(pool).apply(x) == [6, 8] as [Double])
    #expect(Layer.averagePool(pool).apply(x) == [2.5, 2] as [Double])
}

private func randomNetwork(_ rng: inout SplitMix64) throws -> Network {
    let sizes = [4, 6, 5, 3]
    var layers: [Layer] = [.elementwise(ElementwiseAffine(scale: randomVector(4, &rng), shift: randomVector(4, &rng)))]
    for i in 0..<(sizes.count - 1) {
        let w = Matrix(rows: sizes[i + 1], columns: sizes[i], storage: randomVector(sizes[i] * sizes[i + 1], &rng))
        layers.append(.dense(Dense(weights: w, bias: randomVector(sizes[i + 1], &rng))))
        if i < sizes.count - 2 { layers.append(i == 0 ? .relu : .tanh) }
    }
    return try Network(inputShape: [1, 4], layers: layers)
}

@Test func gradientMatchesFiniteDifferences() throws {
    var rng = SplitMix64(seed: 9)
    let net = try randomNetwork(&rng)
    let c: [Double] = [1, -2, 0.5]
    for _ in 0..<20 {
        let x = randomVector(4, &rng)
        let (_, g) = net.valueAndGradient(at: x, outputWeights: c)
        let h = 1e-6
        for j in 0..<4 {
            var xp = x, xm = x
            xp[j] += h
            xm[j] -= h
            let fd = (Vector.dot(net.evaluate(xp), c) - Vector.dot(net.evaluate(xm), c)) / (2 * h)
            #expect(abs(fd - g[j]) <= 1e-5 * (1 + abs(fd)))
        }
    }
}

@Test func float32EvaluationTracksFloat64() throws {
    var rng = SplitMix64(seed: 10)
    let net = try randomNetwork(&rng)
    for _ in 0..<50 {
        let x = randomVector(4, &rng)
        let y64 = net.evaluate(x)
        let y32 = net.evaluate(x.map { Float($0) })
        for (a, b) in zip(y64, y32) { #expect(abs(a - Double(b)) <= 1e-5 * (1 + abs(a))) }
    }
}

@Test func constructionRejectsBadLayers() {
    let w = Matrix(rows: 2, columns: 3)
    #expect(throws: NetworkError.self) {
        try Network(inputShape: [1, 4], layers: [.dense(Dense(weights: w, bias: [0, 0]))])
    }
    var bad = Matrix(rows: 2, columns: 4)
    bad[0, 1] = .nan
    #expect(throws: NetworkError.nonFiniteParameter(layer: 0, what: "weights")) {
        try Network(inputShape: [1, 4], layers: [.dense(Dense(weights: bad, bias: [0, 0]))])
    }
    #expect(throws: NetworkError.self) { try Network(inputShape: [1, 4], layers: [.reshape([3])]) }
}

@Test func countsAndShapes() throws {
    var rng = SplitMix64(seed: 11)
    let net = try randomNetwork(&rng)
    #expect(net.inputCount == 4 && net.outputCount == 3)
    #expect(net.parameterCount == 8 + (4 * 6 + 6) + (6 * 5 + 5) + (5 * 3 + 3))
    #expect(net.reluCount == 6)
}
