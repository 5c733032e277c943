"""Writes the soundness audit's identity networks (issue 9): id1 (y = x, one input) and id2 (y = x, two
inputs), each a single Gemm in opset 13 with a [1, n] float32 input. Run: python3 make_identity.py"""
import numpy as np
import onnx
from onnx import TensorProto, helper


def identity(n: int, path: str) -> None:
    weight = helper.make_tensor("W", TensorProto.FLOAT, [n, n], np.eye(n, dtype=np.float32).flatten())
    bias = helper.make_tensor("B", TensorProto.FLOAT, [n], np.zeros(n, dtype=np.float32))
    node = helper.make_node("Gemm", ["input", "W", "B"], ["output"], transB=1)
    graph = helper.make_graph(
        [node], f"id{n}", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, n])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, n])], [weight, bias])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="nncert-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


identity(1, "id1.onnx")
identity(2, "id2.onnx")
