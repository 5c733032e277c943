import Foundation
import Network
import ONNX
import Testing

/// Unusable models are rejected with an ``ONNXError`` that names the file and the node.
@Suite struct ImportErrorTests {
    func error(_ name: String) -> ONNXError? {
        do {
            _ = try ONNXImporter.load(path: Fixtures.model(name))
            return nil
        } catch {
            return error
        }
    }

    @Test func unsupportedOperator() throws {
        let path = Fixtures.model("bad_unsupported_op.onnx")
        let e = try #require(error("bad_unsupported_op.onnx"))
        #expect(e == .unsupportedOperator(file: path, node: "erf_1", op: "Erf"))
        #expect(e.description.contains("bad_unsupported_op.onnx: node 'erf_1' (Erf)"))
    }

    @Test func gemmWeightThatDoesNotFitItsInput() throws {
        let e = try #require(error("bad_shape_mismatch.onnx"))
        guard case let .invalidNode(_, node, op, _) = e else { Issue.record("\(e)"); return }
        #expect(node == "Gemm_3" && op == "Gemm")
        #expect(e.description.contains("bad_shape_mismatch.onnx: node 'Gemm_3' (Gemm): weight shape [10, 30]"))
        #expect(e.description.contains("does not match input width 20"))
    }

    @Test func nanWeightNamesTheInitializer() throws {
        let e = try #require(error("bad_nan_weight.onnx"))
        guard case let .invalidTensor(_, name, _) = e else { Issue.record("\(e)"); return }
        #expect(name == "fc.bias")
        #expect(e.description.contains("bad_nan_weight.onnx: tensor 'fc.bias': contains NaN or infinity"))
    }

    @Test func twoInputsAndBranchesAreNotChains() throws {
        let two = try #require(error("bad_two_inputs.onnx"))
        #expect(two.description.contains("bad_two_inputs.onnx") && two.description.contains("2 non-constant inputs"))
        let branch = try #require(error("bad_branch.onnx"))
        guard case let .notAChain(_, node, op, _) = branch else { Issue.record("\(branch)"); return }
        #expect(node == "sigmoid_branch" && op == "Sigmoid")
    }

    /// Group 3 on 2 input channels with `[2, 1, 3, 3]` filters: the groups do not divide the channels.
    @Test func groupThatDoesNotMatchTheChannelsIsInvalid() throws {
        let e = try #require(error("bad_grouped_conv.onnx"))
        guard case let .invalidNode(_, node, _, reason) = e else { Issue.record("\(e)"); return }
        #expect(node == "grouped_conv" && reason.contains("group 3") && reason.contains("[2, 1, 3, 3]"))
    }

    /// `output_shape` (runtimes resolve it differently) and an `output_padding` that is below the dilation but not
    /// the stride (not the adjoint of a convolution to the input's size) are refused, naming the node; the graph
    /// interpreter refuses them alike.
    @Test func transposedConvolutionFormsThatAreRefused() throws {
        for (file, attribute) in [
            ("bad_conv_transpose_output_shape.onnx", "output_shape"),
            ("bad_conv_transpose_output_padding.onnx", "output_padding [1, 1] not below the strides"),
        ] {
            try expectRefused(file, node: "refused", op: "ConvTranspose", reason: attribute)
        }
    }

    /// From opset 13 a softmax along a middle axis normalises groups that are not contiguous: refused by both.
    @Test func softmaxAlongAMiddleAxisIsRefused() throws {
        try expectRefused(
            "bad_softmax_axis.onnx", node: "softmax_middle", op: "Softmax", reason: "softmax along axis 1 of [1, 2, 3]")
    }

    /// `file` is refused as unsupported at `node` with `reason` in a message naming the file, by the importer
    /// and by the graph interpreter.
    func expectRefused(_ file: String, node: String, op: String, reason: String) throws {
        let e = try #require(error(file))
        guard case let .unsupported(_, n, o, message) = e else {
            Issue.record("\(file): \(e)")
            return
        }
        #expect(n == node && o == op && message.contains(reason), "\(e)")
        #expect(e.description.contains(file))
        #expect(throws: ONNXError.self) { try GraphInterpreter(path: Fixtures.model(file)) }
    }

    @Test func missingFileIsUnreadable() throws {
        #expect(throws: ONNXError.self) { try ONNXImporter.load(path: "/nonexistent/model.onnx") }
        do {
            _ = try Network(onnxFile: "/nonexistent/model.onnx")
        } catch {
            guard case .unreadable = error else { Issue.record("\(error)"); return }
        }
    }
}

/// Supported operators used in unsupported ways name the node and the reason.
@Suite struct UnsupportedUsageTests {
    func error(_ name: String) throws -> ONNXError {
        do {
            _ = try ONNXImporter.load(path: Fixtures.model(name))
        } catch {
            return error
        }
        throw ONNXError.invalidGraph(file: name, reason: "was accepted")
    }

    @Test func ceilModeAveragePoolingCountingPadding() throws {
        let e = try error("bad_ceil_mode.onnx")
        #expect(
            e
                == .unsupported(
                    file: Fixtures.model("bad_ceil_mode.onnx"), node: "pool_ceil", op: "AveragePool",
                    reason: "ceil_mode 1 with count_include_pad 1"))
    }

    @Test func float16Weights() throws {
        guard case let .invalidTensor(_, name, reason) = try error("bad_float16_weight.onnx") else {
            Issue.record("wrong error")
            return
        }
        #expect(name == "w16" && reason.contains("FLOAT16"))
    }
}
