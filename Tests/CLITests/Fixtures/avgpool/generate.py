"""Writes cnn_avgpool.onnx and cnn_avgpool.vnnlib, the average-pooling CNN of the CLI tests.

The network, with seeded random weights, in the form PyTorch exports AvgPool2d and AdaptiveAvgPool2d((1, 1)):
Conv 3x3 (1 -> 4, padding 1) on [1, 1, 8, 8], Relu, AveragePool 2x2 stride 2, Conv 3x3 (4 -> 8, padding 1), Relu,
GlobalAveragePool, Flatten, Gemm (8 -> 3). The property is a box of radius 0.05 around a seeded point of [0, 1]^64,
violated when output 1 reaches output 0. Needs numpy and onnx: python3 generate.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(2026)


def tensor(name, shape, scale):
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)


initializers = [
    tensor("w1", (4, 1, 3, 3), (2 / 9) ** 0.5), tensor("b1", (4,), 0.1),
    tensor("w2", (8, 4, 3, 3), (2 / 36) ** 0.5), tensor("b2", (8,), 0.1),
    tensor("w3", (3, 8), (2 / 8) ** 0.5), tensor("b3", (3,), 0.1),
]
nodes = [
    helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c1"], ["r1"]),
    helper.make_node("AveragePool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c2"], ["r2"]),
    helper.make_node("GlobalAveragePool", ["r2"], ["g"]),
    helper.make_node("Flatten", ["g"], ["f"], axis=1),
    helper.make_node("Gemm", ["f", "w3", "b3"], ["output"], transB=1),
]
graph = helper.make_graph(
    nodes, "cnn_avgpool", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3])], initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="nncert-fixture")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "cnn_avgpool.onnx")

centre = rng.uniform(0.05, 0.95, 64)
with open("cnn_avgpool.vnnlib", "w") as out:
    out.write("".join(f"(declare-const X_{i} Real)\n" for i in range(64)))
    out.write("".join(f"(declare-const Y_{i} Real)\n" for i in range(3)))
    for i, c in enumerate(centre):
        out.write(f"(assert (>= X_{i} {c - 0.05:.6f}))\n(assert (<= X_{i} {c + 0.05:.6f}))\n")
    out.write("(assert (>= Y_1 Y_0))\n")
