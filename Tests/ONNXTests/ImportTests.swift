import Foundation
import Network
import ONNX
import Tensor
import Testing

/// Structure of imported networks: folding, canonical reshapes, old IR versions.
@Suite struct ImportTests {
    @Test func acasXuImportsAsNormalisationAndSevenDenseLayers() throws {
        let network = try ONNXImporter.load(path: Fixtures.property("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"))
        #expect(network.inputShape == [1, 1, 1, 5])
        #expect(network.outputShape == [1, 5])
        #expect(
            network.layers.map(\.kindName) == ["ElementwiseAffine"]
                + Array(repeating: ["Dense", "ReLU"], count: 6).flatMap { $0 } + ["Dense"])
        #expect(network.reluCount == 300)
        #expect(network.inputName == "input" && network.outputName == "linear_7_Add")
    }

    @Test func oldIRVersionListsInitializersAsInputs() throws {
        // test_sat.onnx (IR 3, opset 8) lists 15 initializers among its 16 graph inputs.
        let network = try ONNXImporter.load(path: Fixtures.property("test/test_sat.onnx"))
        #expect(network.inputCount == 5 && network.outputCount == 5)
    }

    @Test func matMulWithTheWeightOnTheLeft() throws {
        // test_small.onnx computes W·x on a 1-D input: dense layers, and a final reshape to the ONNX shape [1].
        let network = try ONNXImporter.load(path: Fixtures.property("test/test_small.onnx"))
        #expect(network.inputShape == [1])
        #expect(network.outputShape == [1])
        #expect(network.layers.filter { if case .dense = $0 { true } else { false } }.count == 3)
        if case .reshape([1]) = network.layers.last {} else { Issue.record("expected a final reshape to [1]") }
    }

    @Test func affineConstantsFoldIntoTheirLayer() throws {
        // features.onnx: BatchNormalization folds into conv1, Div into the normalisation, Mul(3) into the Gemm.
        let network = try ONNXImporter.load(path: Fixtures.model("features.onnx"))
        #expect(
            network.layers.map(\.kindName) == [
                "ElementwiseAffine", "Conv2D", "ReLU", "MaxPool", "Conv2D", "AveragePool", "Sigmoid", "Dense",
                "Reshape",
                "Tanh", "Dense",
            ])
        #expect(network.inputShape == [1, 2, 6, 6])
        guard case let .conv2d(c) = network.layers[4] else { Issue.record("conv2 missing"); return }
        #expect(c.dilationHeight == 2 && c.pads == [1, 0, 0, 1] && c.outputHeight == 2)
        guard case let .conv2d(c1) = network.layers[1] else { return }
        #expect(c1.pads == [1, 1, 1, 1])  // SAME_UPPER, kernel 3, stride 1
    }

    @Test func batchNormAfterReluBecomesElementwise() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("features_opset11.onnx"))
        #expect(network.layers.map(\.kindName) == ["Dense", "ReLU", "ElementwiseAffine", "Dense"])
    }

    @Test func perElementMulAfterConvIsNotFolded() throws {
        let network = try ONNXImporter.load(path: Fixtures.model("features_conv2.onnx"))
        #expect(
            network.layers.map(\.kindName) == [
                "Conv2D", "ElementwiseAffine", "ReLU", "AveragePool", "AveragePool", "Reshape",
            ])
        guard case let .conv2d(c) = network.layers[0] else { return }
        #expect(c.pads == [1, 1, 1, 1] && c.outputHeight == 3)  // SAME_LOWER, stride 2 on 5×5
        #expect(network.outputShape == [1, 2])
    }

    @Test func supportedOperatorsAreListed() {
        for op in ["Gemm", "MatMul", "Conv", "Relu", "BatchNormalization", "MaxPool", "Reshape", "Squeeze"] {
            #expect(ONNXImporter.supportedOperators.contains(op))
        }
        #expect(ONNXImporter.supportedOpsets.contains(8) && ONNXImporter.supportedOpsets.contains(21))
    }
}
