"""Builds the hidden-node CLI fixture (run from this folder: python3 make_hidden.py).

hidden.onnx: X [1, 2] -> MatMul W1 ("mm") -> Add b1 ("pre") -> Relu ("act") -> MatMul W2 -> Add b2 -> Y [1, 1], with
W1 = [[1, -1, 0.5], [0.5, 1, -1]], b1 = [0.1, -0.2, 0.3]. Over X in [-1, 1]^2: mm[0,0] = X0 + 0.5 X1 lies in
[-1.5, 1.5] and pre[0,0] = mm[0,0] + 0.1 in [-1.4, 1.6]; act >= 0. The queries (written by hand beside this file)
assert on these tensors as VNN-LIB 2 hidden nodes.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

W1 = np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]], dtype=np.float32)
b1 = np.array([0.1, -0.2, 0.3], dtype=np.float32)
W2 = np.array([[1.0], [-1.0], [0.5]], dtype=np.float32)
b2 = np.array([0.05], dtype=np.float32)
nodes = [
    helper.make_node("MatMul", ["X", "W1"], ["mm"]),
    helper.make_node("Add", ["mm", "b1"], ["pre"]),
    helper.make_node("Relu", ["pre"], ["act"]),
    helper.make_node("MatMul", ["act", "W2"], ["out"]),
    helper.make_node("Add", ["out", "b2"], ["Y"]),
]
inits = [numpy_helper.from_array(a, n) for a, n in [(W1, "W1"), (b1, "b1"), (W2, "W2"), (b2, "b2")]]
graph = helper.make_graph(nodes, "hidden", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 2])],
                          [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 1])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="make_hidden.py")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "hidden.onnx")
