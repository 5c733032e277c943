import Tensor

/// One step of a ``Network``.
///
/// The set is closed on purpose: bound propagation, LP encoding, Lipschitz analysis and export each handle every
/// case, and the compiler checks that they do.
public enum Layer: Sendable, Hashable {
    /// `y = W x + b` on the flattened input.
    case dense(Dense)
    /// 2-D convolution on a `[1, C, H, W]` tensor.
    case conv2d(Conv2D)
    /// 2-D transposed convolution on a `[1, C, H, W]` tensor.
    case convTranspose(ConvTranspose2D)
    /// `y = scale ⊙ x + shift`, elementwise (normalisation constants, folded Sub/Mul/Div, BatchNorm without a
    /// preceding affine layer).
    case elementwise(ElementwiseAffine)
    /// `max(x, 0)`.
    case relu
    /// `1 / (1 + e^{−x})`.
    case sigmoid
    /// `tanh(x)`.
    case tanh
    /// Softmax over groups of consecutive elements (the last axis).
    case softmax(Softmax)
    /// Max pooling on a `[1, C, H, W]` tensor.
    case maxPool(Pool2D)
    /// Average pooling on a `[1, C, H, W]` tensor.
    case averagePool(Pool2D)
    /// A change of shape that keeps the row-major element order (Flatten, Reshape, Squeeze, Unsqueeze).
    case reshape([Int])

    /// Short operator-like name, for summaries.
    public var kindName: String {
        switch self {
        case .dense: "Dense"
        case .conv2d: "Conv2D"
        case .convTranspose: "ConvTranspose2D"
        case .elementwise: "ElementwiseAffine"
        case .relu: "ReLU"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        case .softmax: "Softmax"
        case .maxPool: "MaxPool"
        case .averagePool: "AveragePool"
        case .reshape: "Reshape"
        }
    }

    /// True for layers that are affine maps of their input (dense, conv, transposed conv, elementwise, average pool,
    /// reshape).
    public var isAffine: Bool {
        switch self {
        case .dense, .conv2d, .convTranspose, .elementwise, .averagePool, .reshape: true
        case .relu, .sigmoid, .tanh, .softmax, .maxPool: false
        }
    }

    /// A dense, convolutional or transposed convolutional layer as an explicit dense layer (nil for the others).
    public var denseEquivalent: Dense? {
        switch self {
        case let .dense(d): d
        case let .conv2d(c): c.denseEquivalent()
        case let .convTranspose(t): t.denseEquivalent()
        default: nil
        }
    }

    /// Number of parameters (a grouped convolution's filters over their own group only).
    public var parameterCount: Int {
        switch self {
        case let .dense(d): d.weights.storage.count + d.bias.count
        case let .conv2d(c): c.weights.count / c.groups + c.bias.count
        case let .convTranspose(t): t.adjoint.weights.count / t.groups + t.bias.count
        case let .elementwise(e): e.scale.count + e.shift.count
        default: 0
        }
    }

    /// Number of parameters that are not exactly zero.
    public var nonzeroParameterCount: Int {
        switch self {
        case let .dense(d): d.weights.nonzeroCount + d.bias.filter { $0 != 0 }.count
        case let .conv2d(c): c.weights.filter { $0 != 0 }.count + c.bias.filter { $0 != 0 }.count
        case let .convTranspose(t): t.adjoint.weights.filter { $0 != 0 }.count + t.bias.filter { $0 != 0 }.count
        case let .elementwise(e): e.scale.filter { $0 != 0 }.count + e.shift.filter { $0 != 0 }.count
        default: 0
        }
    }

    func validateParameters(index: Int) throws {
        func check(_ values: [Double], _ what: String) throws {
            if !values.allSatisfy(\.isFinite) { throw NetworkError.nonFiniteParameter(layer: index, what: what) }
        }
        switch self {
        case let .dense(d):
            try check(d.weights.storage, "weights")
            try check(d.bias, "bias")
        case let .conv2d(c):
            try check(c.weights, "weights")
            try check(c.bias, "bias")
        case let .convTranspose(t):
            try check(t.adjoint.weights, "weights")
            try check(t.bias, "bias")
        case let .elementwise(e):
            try check(e.scale, "scale")
            try check(e.shift, "shift")
        default: break
        }
    }

    func outputShape(for shape: [Int], index: Int) throws -> [Int] {
        let count = shape.reduce(1, *)
        switch self {
        case let .dense(d):
            guard d.weights.columns == count else {
                throw NetworkError.shapeMismatch(layer: index, expected: "\(d.weights.columns) elements", found: shape)
            }
            return [1, d.weights.rows]
        case let .conv2d(c):
            guard count == c.inputChannels * c.inputHeight * c.inputWidth else {
                throw NetworkError.shapeMismatch(
                    layer: index, expected: "[1, \(c.inputChannels), \(c.inputHeight), \(c.inputWidth)]", found: shape)
            }
            guard c.outputHeight > 0, c.outputWidth > 0 else {
                throw NetworkError.invalidShape(layer: index, shape: shape, reason: "convolution output is empty")
            }
            return [1, c.outputChannels, c.outputHeight, c.outputWidth]
        case let .convTranspose(t):
            guard count == t.inputCount else {
                throw NetworkError.shapeMismatch(
                    layer: index, expected: "[1, \(t.inputChannels), \(t.adjoint.outputHeight), \(t.adjoint.outputWidth)]",
                    found: shape)
            }
            return [1, t.outputChannels, t.outputHeight, t.outputWidth]
        case let .maxPool(p), let .averagePool(p):
            guard count == p.channels * p.inputHeight * p.inputWidth else {
                throw NetworkError.shapeMismatch(
                    layer: index, expected: "[1, \(p.channels), \(p.inputHeight), \(p.inputWidth)]", found: shape)
            }
            guard p.outputHeight > 0, p.outputWidth > 0 else {
                throw NetworkError.invalidShape(layer: index, shape: shape, reason: "pooling output is empty")
            }
            return [1, p.channels, p.outputHeight, p.outputWidth]
        case let .elementwise(e):
            guard e.scale.count == count else {
                throw NetworkError.shapeMismatch(layer: index, expected: "\(e.scale.count) elements", found: shape)
            }
            return shape
        case .relu, .sigmoid, .tanh:
            return shape
        case let .softmax(s):
            guard s.size > 0, count % s.size == 0 else {
                throw NetworkError.invalidShape(
                    layer: index, shape: shape, reason: "\(count) elements do not split into softmax groups of \(s.size)")
            }
            return shape
        case let .reshape(target):
            guard target.allSatisfy({ $0 > 0 }), target.reduce(1, *) == count else {
                throw NetworkError.invalidShape(layer: index, shape: target, reason: "reshape from \(shape) changes the element count")
            }
            return target
        }
    }
}
