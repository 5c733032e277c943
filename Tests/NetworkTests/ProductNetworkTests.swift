import Network
import Tensor
import Testing

private func values(_ n: Int, _ rng: inout SplitMix64) -> [Double] {
    (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
}

private func dense(_ inputs: Int, _ outputs: Int, _ rng: inout SplitMix64) -> Layer {
    .dense(Dense(weights: Matrix(rows: outputs, columns: inputs, storage: values(outputs * inputs, &rng)),
                 bias: values(outputs, &rng)))
}

/// A ReLU MLP with the given widths (first = inputs, last = outputs), optionally ending in `last`.
private func mlp(_ widths: [Int], seed: UInt64, activation: Layer = .relu, last: Layer? = nil) throws -> Network {
    var rng = SplitMix64(seed: seed)
    var layers: [Layer] = []
    for i in 1..<widths.count {
        layers.append(dense(widths[i - 1], widths[i], &rng))
        if i < widths.count - 1 { layers.append(activation) }
    }
    if let last { layers.append(last) }
    return try Network(inputShape: [1, widths[0]], layers: layers)
}

/// Conv → ReLU → average pool → elementwise → reshape → dense → ReLU → dense on a [1, 1, 4, 4] input.
private func convNetwork(seed: UInt64) throws -> Network {
    var rng = SplitMix64(seed: seed)
    let conv = Conv2D(
        inputChannels: 1, inputHeight: 4, inputWidth: 4, outputChannels: 2, kernelHeight: 3, kernelWidth: 3,
        pads: [1, 1, 1, 1], weights: values(18, &rng), bias: values(2, &rng))
    let pool = Pool2D(channels: 2, inputHeight: 4, inputWidth: 4, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                      strideWidth: 2)
    let layers: [Layer] = [
        .conv2d(conv), .relu, .averagePool(pool),
        .elementwise(ElementwiseAffine(scale: values(8, &rng), shift: values(8, &rng))), .reshape([1, 8]),
        dense(8, 5, &rng), .relu, dense(5, 3, &rng),
    ]
    return try Network(inputShape: [1, 1, 4, 4], layers: layers)
}

private func expectClose(_ a: [Double], _ b: [Double]) {
    #expect(a.count == b.count)
    for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-9 * (1 + abs(v)), "\(u) vs \(v)") }
}

/// Checks `product(z) == [f_k(z[inputs[k]])]` on random z.
private func expectProduct(_ networks: [Network], inputCount: Int, inputs: [[Int]], seed: UInt64) throws {
    let product = try Network.sideBySide(networks, inputCount: inputCount, inputs: inputs)
    #expect(product.inputCount == inputCount)
    var rng = SplitMix64(seed: seed)
    for _ in 0..<50 {
        let z = values(inputCount, &rng).map { 3 * $0 }
        let expected = zip(networks, inputs).flatMap { network, selection in network.evaluate(selection.map { z[$0] }) }
        expectClose(product.evaluate(z), expected)
    }
}

@Test func productOfEqualStructures() throws {
    let f = try mlp([3, 5, 4, 2], seed: 1)
    let g = try mlp([3, 5, 4, 2], seed: 2)
    try expectProduct([f, g], inputCount: 3, inputs: [[0, 1, 2], [0, 1, 2]], seed: 10)
    try expectProduct([f, g], inputCount: 6, inputs: [[0, 1, 2], [3, 4, 5]], seed: 11)
}

@Test func productPadsReLUNetworksOfDifferentDepths() throws {
    let shallow = try mlp([3, 5, 2], seed: 3)
    let deep = try mlp([3, 4, 6, 3, 2], seed: 4)
    let affine = try mlp([3, 2], seed: 5)
    let endsInReLU = try mlp([3, 4, 2], seed: 6, last: .relu)
    let identity = try Network(inputShape: [1, 3], layers: [])
    try expectProduct(
        [shallow, deep, affine, endsInReLU, identity], inputCount: 3,
        inputs: [[0, 1, 2], [0, 1, 2], [2, 1, 0], [1, 1, 0], [2, 2, 1]], seed: 12)
}

@Test func productOfConvolutionalAndDenseNetworks() throws {
    let conv = try convNetwork(seed: 7)
    let small = try mlp([3, 4, 4, 4, 2], seed: 8)
    try expectProduct([conv, small], inputCount: 19, inputs: [Array(0..<16), [16, 17, 18]], seed: 13)
}

@Test func productWithTiedSelections() throws {
    let f = try mlp([3, 5, 4, 2], seed: 9)
    let g = try mlp([3, 6, 4, 3], seed: 10)
    try expectProduct([f, g], inputCount: 3, inputs: [[0, 1, 1], [2, 0, 1]], seed: 14)
    try expectProduct([f, g], inputCount: 5, inputs: [[4, 4, 4], [0, 2, 4]], seed: 15)
}

@Test func productOfSmoothNetworksWithEqualStructure() throws {
    let f = try mlp([3, 4, 2], seed: 11, activation: .tanh)
    let g = try mlp([2, 3, 4], seed: 12, activation: .tanh)
    try expectProduct([f, g], inputCount: 4, inputs: [[0, 1, 2], [2, 3]], seed: 16)
}

@Test func differenceNetworkComputesGMinusF() throws {
    var rng = SplitMix64(seed: 17)
    for (f, g) in [
        (try mlp([3, 5, 4, 2], seed: 13), try mlp([3, 5, 4, 2], seed: 14)),
        (try mlp([3, 6, 2], seed: 15), try mlp([3, 4, 4, 3, 2], seed: 16)),
        (try convNetwork(seed: 17), try convNetwork(seed: 18)),
    ] {
        let d = try Network.difference(original: f, compressed: g)
        #expect(d.outputCount == f.outputCount)
        for _ in 0..<30 {
            let x = values(f.inputCount, &rng)
            expectClose(d.evaluate(x), zip(g.evaluate(x), f.evaluate(x)).map { $0 - $1 })
        }
    }
}

@Test func productKeepsSharedInputClipping() throws {
    let box = Box(lower: [-0.5, -1, 0], upper: [0.5, 1, 0.25])
    let f = try Network(inputShape: [1, 3], layers: try mlp([3, 4, 2], seed: 19).layers, inputClamp: box)
    let g = try Network(inputShape: [1, 3], layers: try mlp([3, 5, 2], seed: 20).layers, inputClamp: box)
    try expectProduct([f, g], inputCount: 3, inputs: [[0, 1, 2], [0, 1, 2]], seed: 18)
    try expectProduct([f, g], inputCount: 6, inputs: [[0, 1, 2], [3, 4, 5]], seed: 19)
    let unclipped = try mlp([3, 4, 2], seed: 21)
    #expect(throws: NetworkError.self) {
        try Network.sideBySide([f, unclipped], inputCount: 3, inputs: [[0, 1, 2], [0, 1, 2]])
    }
}

/// Conv 3×3 (1 → `channels`, padding 1) → ReLU → max pool (2×2 stride 2, or overlapping 3×3 stride 1 padding 1)
/// → flatten → dense → ReLU → dense on a [1, 1, 4, 4] input.
private func pooledNetwork(seed: UInt64, channels: Int, overlapping: Bool = false) throws -> Network {
    var rng = SplitMix64(seed: seed)
    let conv = Conv2D(
        inputChannels: 1, inputHeight: 4, inputWidth: 4, outputChannels: channels, kernelHeight: 3, kernelWidth: 3,
        pads: [1, 1, 1, 1], weights: values(9 * channels, &rng), bias: values(channels, &rng))
    let pool = overlapping
        ? Pool2D(channels: channels, inputHeight: 4, inputWidth: 4, kernelHeight: 3, kernelWidth: 3, strideHeight: 1,
                 strideWidth: 1, pads: [1, 1, 1, 1])
        : Pool2D(channels: channels, inputHeight: 4, inputWidth: 4, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                 strideWidth: 2)
    let pooled = pool.outputCount
    return try Network(inputShape: [1, 1, 4, 4], layers: [
        .conv2d(conv), .relu, .maxPool(pool), .reshape([1, pooled]), dense(pooled, 5, &rng), .relu, dense(5, 2, &rng),
    ])
}

/// Pooled networks with pools of one geometry (channel counts may differ: a structured-pruned copy) share one
/// pool over their stacked channels; a pool against another geometry, or against no pool, is refused.
@Test func productCombinesMaxPoolsOfOneGeometry() throws {
    for overlapping in [false, true] {
        let f = try pooledNetwork(seed: 25, channels: 3, overlapping: overlapping)
        let g = try pooledNetwork(seed: 26, channels: 2, overlapping: overlapping)
        try expectProduct([f, g], inputCount: 16, inputs: [Array(0..<16), Array(0..<16)], seed: 20)
        try expectProduct([f, g, f], inputCount: 32, inputs: [Array(0..<16), Array(16..<32), Array(5..<21)], seed: 21)
        let product = try Network.sideBySide([f, g], inputCount: 16, inputs: [Array(0..<16), Array(0..<16)])
        #expect(product.layers.contains { if case let .maxPool(p) = $0 { p.channels == 5 } else { false } })
        var rng = SplitMix64(seed: 22)
        let d = try Network.difference(original: f, compressed: g)
        for _ in 0..<30 {
            let x = values(16, &rng)
            expectClose(d.evaluate(x), zip(g.evaluate(x), f.evaluate(x)).map { $0 - $1 })
        }
    }
    let f = try pooledNetwork(seed: 27, channels: 2), other = try pooledNetwork(seed: 28, channels: 2, overlapping: true)
    let dense = try mlp([16, 3, 2], seed: 22)
    for g in [other, dense] {
        #expect {
            try Network.sideBySide([f, g], inputCount: 16, inputs: [Array(0..<16), Array(0..<16)])
        } throws: { error in
            guard case let NetworkError.invalidShape(_, _, reason) = error else { return false }
            return reason.contains("uses MaxPool")
        }
    }
}

@Test func productRefusesMismatchedSmoothActivations() throws {
    let relu = try mlp([3, 4, 2], seed: 23)
    let sigmoid = try mlp([3, 4, 2], seed: 24, activation: .sigmoid)
    let deeperSigmoid = try mlp([3, 4, 4, 2], seed: 25, activation: .sigmoid)
    #expect(throws: NetworkError.self) { try Network.difference(original: relu, compressed: sigmoid) }
    #expect(throws: NetworkError.self) { try Network.difference(original: sigmoid, compressed: deeperSigmoid) }
}

@Test func productRefusesBadSelectionsAndSizes() throws {
    let f = try mlp([3, 4, 2], seed: 26)
    let g = try mlp([2, 4, 3], seed: 27)
    #expect(throws: NetworkError.self) { try Network.sideBySide([f], inputCount: 3, inputs: [[0, 1]]) }
    #expect(throws: NetworkError.self) { try Network.sideBySide([f], inputCount: 3, inputs: [[0, 1, 3]]) }
    #expect(throws: NetworkError.self) { try Network.sideBySide([f, g], inputCount: 3, inputs: [[0, 1, 2]]) }
    #expect(throws: NetworkError.self) { try Network.difference(original: f, compressed: g) }
    // A 100×100 image convolution is small, but its dense equivalent has 10⁸ entries: refused, not allocated.
    let conv = Conv2D(
        inputChannels: 1, inputHeight: 100, inputWidth: 100, outputChannels: 1, kernelHeight: 3, kernelWidth: 3,
        pads: [1, 1, 1, 1], weights: [Double](repeating: 0.1, count: 9), bias: [0])
    let big = try Network(inputShape: [1, 1, 100, 100], layers: [.conv2d(conv)])
    #expect {
        try Network.sideBySide([big], inputCount: 10_000, inputs: [Array(0..<10_000)])
    } throws: { error in
        guard case let NetworkError.invalidShape(_, _, reason) = error else { return false }
        return reason.contains("limit")
    }
}
