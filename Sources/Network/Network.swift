import Tensor

/// A feed-forward neural network: a chain of ``Layer``s applied to one input tensor.
///
/// Data flows as flat `[Double]` vectors in row-major (C) order, matching how VNN-LIB numbers the elements of
/// an ONNX tensor (`X_0 … X_{n−1}`). Shapes are kept alongside for layers that need geometry (convolution,
/// pooling) and for export. A `Network` is a value: compressing one produces another.
///
/// Construction validates every layer against the shape flowing into it, so a `Network` that exists is
/// consistent: dense layers see inputs of their width, convolutions see their declared geometry, and all
/// parameters are finite.
public struct Network: Sendable, Hashable {
    /// Shape of the input tensor as declared by the model (for ONNX, including a leading batch dimension of 1).
    public let inputShape: [Int]
    /// The layers, applied in order.
    public let layers: [Layer]
    /// Shape of the tensor after each layer; `layerShapes[i]` is the output shape of `layers[i]`.
    public let layerShapes: [[Int]]
    /// Name of the input tensor (ONNX graph input), used on export.
    public var inputName: String
    /// Name of the output tensor (ONNX graph output), used on export.
    public var outputName: String
    /// The input domain the network clips its inputs to before the first layer, or nil when it does not clip.
    ///
    /// A `.nnet` network computes `f(clip(x, min, max))` (``evaluate(_:)-(Double)`` applies the clipping first);
    /// ``layers`` alone compute `f`. Clipping per coordinate maps an input box `B` onto the box `clip(B)`, so a
    /// property over `B` is decided by verifying ``layers`` over `clip(B)` (on which clipping is the identity).
    public let inputClamp: Box?

    /// Builds and validates a network.
    /// - Parameter inputClamp: the box inputs are clipped to before the first layer (nil: no clipping).
    /// - Throws: ``NetworkError`` when a layer does not fit the shape flowing into it or holds a non-finite value,
    ///   or when `inputClamp` is not a non-empty box of the input dimension without NaN.
    public init(
        inputShape: [Int], layers: [Layer], inputName: String = "input", outputName: String = "output",
        inputClamp: Box? = nil
    ) throws {
        // Every dimension must be positive; an empty shape is a scalar input (one element) and is accepted.
        guard inputShape.allSatisfy({ $0 > 0 }) else {
            throw NetworkError.invalidShape(layer: nil, shape: inputShape, reason: "input dimensions must be positive")
        }
        var shape = inputShape
        var shapes: [[Int]] = []
        shapes.reserveCapacity(layers.count)
        for (index, layer) in layers.enumerated() {
            try layer.validateParameters(index: index)
            shape = try layer.outputShape(for: shape, index: index)
            shapes.append(shape)
        }
        self.inputShape = inputShape
        self.layers = layers
        self.layerShapes = shapes
        self.inputName = inputName
        self.outputName = outputName
        if let inputClamp { try Self.validate(inputClamp: inputClamp, inputCount: inputShape.reduce(1, *)) }
        self.inputClamp = inputClamp
    }

    private static func validate(inputClamp box: Box, inputCount: Int) throws(NetworkError) {
        guard box.dimension == inputCount else {
            throw .invalidInputClamp(reason: "\(box.dimension) bounds for \(inputCount) inputs")
        }
        guard box.isValid else { throw .invalidInputClamp(reason: "a lower bound exceeds its upper bound or is NaN") }
    }

    /// Number of scalar inputs (product of ``inputShape``).
    public var inputCount: Int { inputShape.reduce(1, *) }

    /// Shape of the output tensor.
    public var outputShape: [Int] { layerShapes.last ?? inputShape }

    /// Number of scalar outputs.
    public var outputCount: Int { outputShape.reduce(1, *) }

    /// The network's output when it does not depend on the input — its last layer (before any reshapes, which
    /// keep the values in order) is affine with all-zero weights: a `Shape` of the input, say, imported as a
    /// constant —, else nil.
    public var constantOutput: [Double]? {
        switch layers.last(where: { if case .reshape = $0 { false } else { true } }) {
        case let .dense(d)?: d.weights.storage.allSatisfy { $0 == 0 } ? d.bias : nil
        case let .elementwise(e)?: e.scale.allSatisfy { $0 == 0 } ? e.shift : nil
        default: nil
        }
    }

    /// Shape of the tensor entering layer `i`.
    public func inputShape(ofLayer i: Int) -> [Int] { i == 0 ? inputShape : layerShapes[i - 1] }

    /// Total number of parameters (weights and biases).
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Number of parameters that are not exactly zero.
    public var nonzeroParameterCount: Int { layers.reduce(0) { $0 + $1.nonzeroParameterCount } }

    /// Number of ReLU neurons (the unit of branching in ReLU-split branch and bound).
    public var reluCount: Int {
        layers.indices.reduce(0) { $0 + (layers[$1] == .relu ? layerShapes[$1].reduce(1, *) : 0) }
    }

    /// Whether some layer is a sigmoid, tanh or softmax: relaxed wherever its input interval is not a point, so no
    /// ReLU split makes a node exact.
    public var hasSmoothActivations: Bool {
        layers.contains {
            switch $0 {
            case .sigmoid, .tanh, .softmax: true
            default: false
            }
        }
    }

    /// Whether some layer is a max pool (relaxed wherever no element of a window dominates it, so no ReLU split
    /// makes a node exact).
    public var hasMaxPooling: Bool {
        layers.contains { if case .maxPool = $0 { true } else { false } }
    }

    /// Whether some layer is a convolution or a transposed convolution (the searches' defaults differ on such
    /// networks: docs/architecture.md).
    public var hasConvolutions: Bool {
        layers.contains {
            switch $0 {
            case .conv2d, .convTranspose: true
            default: false
            }
        }
    }
}
