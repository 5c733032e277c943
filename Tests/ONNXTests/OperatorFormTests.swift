import Foundation
import Network
import Tensor
import ONNX
import Testing

/// The operator forms the vnnlib-satisfactory suite exercises: Gather and Concat of the data, data-moving
/// Transpose, broadcasting that repeats the data, 1-D convolution and pooling, MaxPool with `ceil_mode` and
/// dilation, a constant output. Their values against onnxruntime are checked by ``ReferenceAgreementTests`` and
/// the interpreter tests (`Fixtures/reference/ops_*.onnx.json`, from `generate_operator_fixtures.py`); these
/// tests check how they are imported.
@Suite struct OperatorFormTests {
    static let fixtures = [
        "ops_selection.onnx", "ops_conv1d.onnx", "ops_pool.onnx", "ops_constant_output.onnx", "ops_linear.onnx",
        "ops_split.onnx", "ops_slice_reduce.onnx", "ops_grouped_conv.onnx", "ops_conv_transpose.onnx",
        "ops_softmax.onnx", "ops_softmax_opset11.onnx",
    ]

    @Test func everyFixtureHasAnOnnxRuntimeReference() throws {
        let references = Set(try ReferenceAgreementTests.references().map(\.file))
        for name in Self.fixtures { #expect(references.contains(name), "\(name)") }
    }

    /// The folded network, its Float32 pass and the graph interpreter agree with onnxruntime on every reference
    /// input of each fixture (the same check as the reference suites, here named per fixture).
    @Test(arguments: fixtures) func agreesWithOnnxRuntime(name: String) throws {
        let reference = try #require(try ReferenceAgreementTests.references().first { $0.file == name })
        let network = try ONNXImporter.load(path: Fixtures.model(name))
        let interpreter = try GraphInterpreter(path: Fixtures.model(name))
        var folded = ErrorStatistics(), replay = ErrorStatistics()
        for (k, expected) in reference.outputs.enumerated() {
            let x = Fixtures.referenceInput(k, count: network.inputCount, seedBase: reference.seedBase)
            let y = network.evaluate(x.map(Double.init))
            let z = try #require(interpreter.evaluate(x))
            try #require(y.count == expected.count && z.count == expected.count)
            for i in expected.indices {
                folded.record(y[i], reference: expected[i])
                replay.record(Double(z[i]), reference: expected[i])
            }
        }
        #expect(folded.relative <= ReferenceAgreementTests.tolerance, "\(name) folded: \(folded)")
        #expect(replay.relative <= ReferenceAgreementTests.tolerance, "\(name) interpreter: \(replay)")
    }

    /// Softmax over the last axis (opset 13) is one group of 4; opset 11's `axis = 1` on `[1, 2, 3]` is one group
    /// of 6 (the input read as a matrix split at the axis).
    @Test func softmaxImportsWithItsGroups() throws {
        let last = try ONNXImporter.load(path: Fixtures.model("ops_softmax.onnx"))
        #expect(last.layers.last == .softmax(Softmax(size: 4)))
        let flattened = try ONNXImporter.load(path: Fixtures.model("ops_softmax_opset11.onnx"))
        #expect(flattened.layers.contains(.softmax(Softmax(size: 6))))
        #expect(flattened.outputShape == [1, 2, 3])
    }

    @Test func dataMovementImportsAsDenseSelections() throws {
        // Gather, Concat(g, c, g), Transpose [1, 0] and the expanding Mul are each one exact dense layer (the
        // reshapes between them drop, as before any dense layer, but the one before the ReLU stays); the Sub that
        // follows folds into the Mul's; the final Gather of the Gemm's output is one more dense layer.
        let network = try ONNXImporter.load(path: Fixtures.model("ops_selection.onnx"))
        #expect(network.inputShape == [2, 3])
        #expect(network.outputShape == [1, 2, 2])
        #expect(
            network.layers.map(\.kindName) == [
                "Dense", "Dense", "Dense", "Reshape", "ReLU", "Dense", "Dense", "Dense", "Reshape",
            ])
        guard case let .dense(gather) = network.layers[0] else { return }
        // Output (r, c) of Gather(axis 1, [2, 0]) on [2, 3] reads x[r, 2] then x[r, 0].
        #expect(gather.weights.rows == 4 && gather.weights.columns == 6)
        #expect(gather.weights.storage.enumerated().filter { $0.element != 0 }.map(\.offset) == [2, 6, 17, 21])
    }

    @Test func oneDimensionalConvolutionIsAConvolutionOfHeightOne() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("ops_conv1d.onnx"))
        #expect(network.inputShape == [1, 2, 9])
        #expect(network.outputShape == [1, 2])
        let convolutions = network.layers.compactMap { if case let .conv2d(c) = $0 { c } else { nil } }
        #expect(convolutions.count == 2)
        #expect(convolutions.allSatisfy { $0.inputHeight == 1 && $0.kernelHeight == 1 && $0.pads[0] == 0 })
        #expect(convolutions[0].pads == [0, 1, 0, 0] && convolutions[0].strideWidth == 2)
        #expect(convolutions[1].dilationWidth == 2 && convolutions[1].outputWidth == 4)
        let pools = network.layers.compactMap { layer -> Pool2D? in
            switch layer {
            case let .maxPool(p), let .averagePool(p): p
            default: nil
            }
        }
        // MaxPool k 3, s 2, ceil_mode on 4: two windows, the second padded by one at the end.
        #expect(pools.first?.pads == [0, 0, 0, 1] && pools.first?.outputWidth == 2)
    }

    /// Grouped and depthwise convolutions (group 2; depthwise with dilation; a channel multiplier of 2; 1-D
    /// depthwise) become dense convolutions over all channels whose filters are zero outside their group.
    @Test func groupedConvolutionIsADenseConvolutionZeroOutsideItsGroup() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("ops_grouped_conv.onnx"))
        let convolutions = network.layers.compactMap { if case let .conv2d(c) = $0 { c } else { nil } }
        let groups = [2, 4, 4, 8]
        try #require(convolutions.count == groups.count)
        #expect(convolutions.map(\.inputChannels) == [4, 4, 4, 8])
        #expect(convolutions.map(\.outputChannels) == [4, 4, 8, 8])
        #expect(convolutions[1].dilationHeight == 2 && convolutions[1].outputHeight == 4)
        #expect(convolutions[3].inputHeight == 1 && convolutions[3].outputWidth == 9)
        for (conv, group) in zip(convolutions, groups) {
            let taps = conv.kernelHeight * conv.kernelWidth
            let groupChannels = conv.inputChannels / group, groupFilters = conv.outputChannels / group
            for o in 0..<conv.outputChannels {
                for c in 0..<conv.inputChannels {
                    let own = c / groupChannels == o / groupFilters
                    let filter = conv.weights[((o * conv.inputChannels + c) * taps)..<((o * conv.inputChannels + c + 1) * taps)]
                    #expect(own ? filter.contains { $0 != 0 } : filter.allSatisfy { $0 == 0 }, "filter \(o) channel \(c)")
                }
            }
        }
    }

    /// ConvTranspose is the adjoint of a convolution from its output's shape to its input's: output sizes with
    /// pads and `output_padding`, groups, the 1-D form; its dense equivalent is the transpose of the convolution's.
    @Test func transposedConvolutionIsTheAdjointOfAConvolution() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("ops_conv_transpose.onnx"))
        let transposed = network.layers.compactMap { if case let .convTranspose(t) = $0 { t } else { nil } }
        try #require(transposed.count == 3)
        #expect(transposed.map(\.outputChannels) == [4, 2, 2] && transposed.map(\.groups) == [1, 2, 1])
        #expect(transposed[0].outputHeight == 9 && transposed[0].outputWidth == 8)
        #expect(transposed[1].outputHeight == 11 && transposed[1].outputWidth == 10)
        #expect(transposed[2].outputHeight == 1 && transposed[2].outputWidth == 60)
        for t in transposed {
            let d = t.denseEquivalent().weights, k = t.adjoint.denseEquivalent().weights
            #expect(d.rows == k.columns && d.columns == k.rows)
            #expect((0..<d.rows).allSatisfy { r in (0..<d.columns).allSatisfy { d[r, $0] == k[$0, r] } })
            var rng = SplitMix64(seed: 3)
            let x = (0..<t.inputCount).map { _ in Double.random(in: -1...1, using: &rng) }
            let y = t.applyLinear(x), z = d.multiplied(by: x)
            #expect(zip(y, z).allSatisfy { abs($0 - $1) <= 1e-12 * (1 + abs($1)) })
        }
    }

    @Test func dilatedMaxPoolIsASelectionAndARowMaximum() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("ops_pool.onnx"))
        #expect(Array(network.layers.map(\.kindName).prefix(3)) == ["Dense", "MaxPool", "MaxPool"])
        guard case let .dense(selection) = network.layers[0], case let .maxPool(rows) = network.layers[1] else {
            return
        }
        // 2 channels × 8 × 8 windows of 4 taps each, read from the 2 × 8 × 8 input; every row copies one element.
        #expect(selection.weights.rows == 2 * 64 * 4 && selection.weights.columns == 128)
        #expect(selection.weights.storage.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(selection.weights.storage.reduce(0, +) == Double(selection.weights.rows))
        #expect(rows.kernelWidth == 4 && rows.strideWidth == 4 && rows.outputCount == 2 * 64)
        // MaxPool k 3, s 2, ceil_mode on 8: four windows (floor mode: three).
        guard case let .maxPool(ceil) = network.layers[2] else { return }
        #expect(ceil.outputHeight == 4 && ceil.pads == [0, 0, 1, 1])
    }

    @Test func slicesSplitsExpansionsAndReductionsAreDenseLayers() throws {
        // Slice, the Split output read, Expand: one selection each; ReduceSum after the ReLU; the Add of the
        // ConstantOfShape folds into it; ReduceMean; Gemm.
        let network = try ONNXImporter.load(path: Fixtures.model("ops_linear.onnx"))
        #expect(network.inputShape == [2, 3, 4] && network.outputShape == [1, 3])
        #expect(network.layers.map(\.kindName) == ["Dense", "Dense", "Dense", "Reshape", "ReLU", "Dense", "Dense", "Dense"])
        guard case let .dense(slice) = network.layers[0], case let .dense(mean) = network.layers[6] else { return }
        // X[:, 1:, -1::-2] of [2, 3, 4]: rows (n, r, c) read X[n, 1 + r, 3 − 2c].
        #expect(slice.weights.rows == 8 && slice.weights.columns == 24)
        #expect(slice.weights.storage.enumerated().filter { $0.element != 0 }.map { $0.offset % 24 } == [7, 5, 11, 9, 19, 17, 23, 21])
        #expect(mean.weights.storage.allSatisfy { $0 == 0 || $0 == 0.5 })
        #expect(mean.bias.allSatisfy { $0 == 0 })
    }

    @Test func theSplitOutputThatIsReadContinuesTheChain() throws {
        // Split [1, 7] into num_outputs 3: sizes 3, 3, 1; the middle part is read.
        let network = try ONNXImporter.load(path: Fixtures.model("ops_split.onnx"))
        #expect(network.outputShape == [1, 3])
        #expect(network.evaluate([1, 2, 3, -4, 5, 6, 7] as [Double]) == [0, 5, 6])
    }

    @Test func constantOutputIsABiasOnly() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("ops_constant_output.onnx"))
        #expect(network.outputShape == [2])
        for k in 0..<5 {
            let x = Fixtures.referenceInput(k, count: 3)
            #expect(network.evaluate(x.map(Double.init)) == [1, 3])
        }
        #expect(try GraphInterpreter(path: Fixtures.model("ops_constant_output.onnx")).evaluate([0, 0, 0]) == [1, 3])
    }
}
