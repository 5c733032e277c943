"""Builds the integer-output CLI fixture (run from this folder: python3 make_shape.py).

shape.onnx is Y = Shape(X) with X float32 [2, 3] and Y int64 [2]: the output is the constant [2, 3] whatever X is.
shape_unsat.vnnlib asks for Y[1] >= 4 (never: unsat), shape_sat.vnnlib for Y[0] >= 2 (always: sat), both with Y
declared int64 as the model has it. relu_int64.vnnlib declares the output of ../multinet/f.onnx (a ReLU network,
not constant) int64: refused.
"""
import onnx
from onnx import helper, TensorProto

graph = helper.make_graph(
    [helper.make_node("Shape", ["X"], ["Y"])], "shape",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 3])],
    [helper.make_tensor_value_info("Y", TensorProto.INT64, [2])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="make_shape.py")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "shape.onnx")
