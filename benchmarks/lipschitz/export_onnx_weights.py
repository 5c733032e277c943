#!/usr/bin/env python3
"""Export the dense (Gemm, or MatMul + Add; a leading Sub only shifts the input) weights of an ONNX MLP to the plain JSON format read by lipschitz-bench
and by the LipschitzSDP tests: {"layers": [{"weights": [[...row...], ...], "bias": [...]}, ...]} with ReLU
between consecutive layers. Usage: export_onnx_weights.py MODEL.onnx OUT.json"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper

model = onnx.load(sys.argv[1])
inits = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in model.graph.initializer}
layers = []
ops = {n.op_type for n in model.graph.node}
assert ops <= {"Gemm", "MatMul", "Add", "Relu", "Flatten", "Sub", "Reshape"}, f"unsupported ops {ops}"
for node in model.graph.node:
    if node.op_type == "MatMul":
        w = inits[node.input[1]].T
        layers.append({"weights": w.tolist(), "bias": [0.0] * w.shape[0]})
        continue
    if node.op_type == "Add" and layers and node.input[1] in inits:
        layers[-1]["bias"] = inits[node.input[1]].reshape(-1).tolist()
        continue
    if node.op_type != "Gemm":
        continue
    trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
    w = inits[node.input[1]]
    w = w if trans_b else w.T
    b = inits[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0])
    layers.append({"weights": w.tolist(), "bias": b.tolist()})
with open(sys.argv[2], "w") as f:
    json.dump({"layers": layers}, f)
print(sys.argv[2], [np.array(l["weights"]).shape for l in layers])
