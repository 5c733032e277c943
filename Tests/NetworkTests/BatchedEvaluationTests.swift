import Network
import Tensor
import Testing

/// `Network.evaluate(rows:)` is `evaluate(_:)` on every row, on a network with every kind of layer the batched
/// path treats specially (clamp, dense, convolution, transposed convolution, ReLU, reshape) or row by row (affine,
/// pooling, tanh).
@Test func batchedEvaluationEqualsRowByRow() throws {
    var rng = SplitMix64(seed: 31)
    func values(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
    let conv = Conv2D(
        inputChannels: 2, inputHeight: 7, inputWidth: 6, outputChannels: 3, kernelHeight: 3, kernelWidth: 2,
        strideHeight: 2, strideWidth: 1, pads: [1, 0, 1, 1], dilationHeight: 1, dilationWidth: 2,
        weights: values(3 * 2 * 3 * 2), bias: values(3))
    let transposed = ConvTranspose2D(
        inputChannels: 3, inputHeight: 4, inputWidth: 5, outputChannels: 2, outputHeight: 5, outputWidth: 6,
        kernelHeight: 2, kernelWidth: 2, weights: values(3 * 2 * 2 * 2), bias: values(2))
    let pool = Pool2D(channels: 2, inputHeight: 5, inputWidth: 6, kernelHeight: 2, kernelWidth: 2, strideHeight: 2,
                      strideWidth: 2)
    let clamp = Box(lower: [Double](repeating: -0.8, count: 84), upper: [Double](repeating: 0.7, count: 84))
    let net = try Network(
        inputShape: [2, 7, 6],
        layers: [
            .elementwise(ElementwiseAffine(scale: values(84), shift: values(84))), .conv2d(conv), .relu,
            .convTranspose(transposed), .maxPool(pool), .reshape([12]),
            .dense(Dense(weights: Matrix(rows: 5, columns: 12, storage: values(60)), bias: values(5))), .tanh,
            .dense(Dense(weights: Matrix(rows: 3, columns: 5, storage: values(15)), bias: values(3))),
        ],
        inputClamp: clamp)
    let inputs = (0..<37).map { _ in values(84).map { 1.2 * $0 } }
    let batched = net.evaluate(rows: Matrix(inputs))
    #expect(batched.rows == 37 && batched.columns == 3)
    for (k, x) in inputs.enumerated() {
        let y = net.evaluate(x)
        #expect(zip(batched.row(k), y).allSatisfy { abs($0 - $1) <= 1e-12 * (1 + abs($1)) })
    }
    #expect(net.multiplyAdds == 60 * 2 * 3 * 2 + 60 * 2 * 2 * 2 + 12 * 5 + 5 * 3)
}

/// Average pools (padding left out of the divisor, so border windows divide by less) and elementwise layers are
/// batched too: the same sums in the same order, so the rows equal the single-input evaluation exactly.
@Test func batchedAveragePoolsAndElementwiseLayersEqualRowByRow() throws {
    var rng = SplitMix64(seed: 32)
    func values(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
    let pool = Pool2D(channels: 2, inputHeight: 5, inputWidth: 5, kernelHeight: 3, kernelWidth: 3, strideHeight: 2,
                      strideWidth: 2, pads: [1, 1, 1, 1])
    let net = try Network(
        inputShape: [1, 2, 5, 5],
        layers: [.averagePool(pool), .elementwise(ElementwiseAffine(scale: values(18), shift: values(18))), .relu])
    let inputs = (0..<9).map { _ in values(50) }
    let batched = net.evaluate(rows: Matrix(inputs))
    for (k, x) in inputs.enumerated() { #expect(batched.row(k) == net.evaluate(x)) }
}
