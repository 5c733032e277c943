#!/usr/bin/env python3
"""Generates the counterexample-replay fixture (run from anywhere:
`python3 Tests/ONNXTests/Fixtures/generate_replay_fixture.py`; needs numpy, onnx, onnxruntime).

replay/gemm_div_add.onnx is the soundness issue's case: Gemm (3 -> 2, transB, bias) -> Div by 7.3 -> Add 0.37.
nncert's importer folds the Div into the Gemm as a multiplication by 1/7.3, so its Float32 evaluation can be an
ulp away from onnxruntime, which divides. replay/gemm_div_add.json holds onnxruntime's Float32 outputs at a few
inputs, every float stored as its IEEE-754 bit pattern (an unsigned 32-bit integer) so that the Swift test
(GraphInterpreterTests) can compare bit for bit:

- `inputs`: the inputs (the first ones dyadic, so the Gemm is exact in any summation order; then seeded
  random ones);
- `outputs`: onnxruntime with graph optimisations disabled (every node executed as stored);
- `optimizedOutputs`: onnxruntime with its default optimisations (recorded; the script prints whether they differ).
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "replay")
NAME = "gemm_div_add"


def build():
    w = np.array([[0.8125, -1.4375, 0.3125], [-0.625, 0.9375, 1.1875]], dtype=np.float32)  # [2, 3], transB
    b = np.array([0.21, -0.43], dtype=np.float32)
    nodes = [
        helper.make_node("Gemm", ["X", "W", "B"], ["g"], name="fc", transB=1),
        helper.make_node("Div", ["g", "divisor"], ["d"], name="div"),
        helper.make_node("Add", ["d", "offset"], ["Y"], name="add"),
    ]
    inits = [
        numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B"),
        numpy_helper.from_array(np.array(7.3, dtype=np.float32), "divisor"),
        numpy_helper.from_array(np.array(0.37, dtype=np.float32), "offset"),
    ]
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 3])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 2])
    model = helper.make_model(
        helper.make_graph(nodes, NAME, [x], [y], inits), opset_imports=[helper.make_opsetid("", 13)],
        producer_name="nncert-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def inputs():
    dyadic = np.array([[0.5, -0.25, 0.75], [1.0, 0.125, -0.5], [-0.875, 0.625, 0.25], [0.3125, 0.0625, -1.0]])
    random = np.random.default_rng(73).uniform(-1, 1, size=(8, 3))
    return np.concatenate([dyadic, random]).astype(np.float32)


def run(path, xs, level):
    options = ort.SessionOptions()
    options.graph_optimization_level = level
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    return [session.run(None, {"X": x.reshape(1, 3)})[0].ravel().astype(np.float32) for x in xs]


def bits(array):
    return [int(v) for v in np.asarray(array, dtype=np.float32).view(np.uint32)]


def main():
    os.makedirs(FOLDER, exist_ok=True)
    path = os.path.join(FOLDER, NAME + ".onnx")
    onnx.save(build(), path)
    xs = inputs()
    plain = run(path, xs, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    optimized = run(path, xs, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    differing = sum(int(np.any(p != o)) for p, o in zip(plain, optimized))
    print(f"{NAME}: {len(xs)} inputs; default optimisations change the outputs at {differing} of them")
    record = {
        "file": NAME + ".onnx",
        "onnxruntime": ort.__version__,
        "inputs": [bits(x) for x in xs],
        "outputs": [bits(y) for y in plain],
        "optimizedOutputs": [bits(y) for y in optimized],
    }
    with open(os.path.join(FOLDER, NAME + ".json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
