#!/usr/bin/env python3
"""Generates the ONNX test fixtures and onnxruntime reference outputs (run from anywhere:
`python3 Tests/ONNXTests/Fixtures/generate_reference_outputs.py`; needs numpy, onnx, onnxruntime).

1. models/: small hand-built ONNX files: `features*.onnx` exercise every supported operator (conv with SAME
   padding, BatchNormalization, pooling, constant Transpose, Shape/Gather/Concat → Reshape, opset-11 attribute
   axes, …); bad_*.onnx must be rejected with a precise error (unsupported op, shape mismatch, NaN weight,
   two inputs, a branch); small.nnet is a 2-layer .nnet file with `small_nnet_equivalent.onnx`, its ONNX
   equivalent in the ACAS Xu conversion style (Sub mean, Div range, MatMul/Add, Relu, …, Mul range, Add mean).
2. reference/<file name>.json: for every network in properties/, in /work/shared/benchmarks/{acasxu, mnistfc,
   test, lipsdp} (when present), in models/ and in exported/ (written by the Swift test
   `exportWritesFixtures` when NNCERT_WRITE_EXPORTS=1), onnxruntime's outputs on 100 seeded inputs. Input k is
   drawn with SplitMix64 seeded with 1000 + k: x_i = float32(-1 + 2 u), u = (next() >> 11) * 2^-53, i in order;
   the Swift test draws the same inputs. Only outputs are stored.
3. exported/: each exported file is also run next to its source network, and the largest difference is printed
   (export → onnxruntime agreement).
"""
import glob
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SHARED = "/work/shared/benchmarks"
SAMPLES = 100
SEED_BASE = 1000
MASK = (1 << 64) - 1


class SplitMix64:
    """Exactly Sources/Tensor/SplitMix64.swift."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def sample_input(k, n):
    rng = SplitMix64(SEED_BASE + k)
    return np.array([-1.0 + 2.0 * ((rng.next() >> 11) * 2.0**-53) for _ in range(n)], dtype=np.float32)


def input_info(model):
    inits = {i.name for i in model.graph.initializer}
    inp = [i for i in model.graph.input if i.name not in inits][0]
    shape = [d.dim_value if d.HasField("dim_value") else 1 for d in inp.type.tensor_type.shape.dim]
    return inp.name, shape, inp.type.tensor_type.elem_type


def run(path):
    model = onnx.load(path)
    name, shape, elem = input_info(model)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    dtype = np.float64 if elem == TensorProto.DOUBLE else np.float32
    n = int(np.prod(shape))
    outs = []
    for k in range(SAMPLES):
        x = sample_input(k, n).astype(dtype).reshape(shape)
        outs.append(np.asarray(sess.run(None, {name: x})[0], dtype=np.float64).ravel())
    return outs


# ---------------------------------------------------------------- hand-built models

def const(name, array, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(array, dtype=dtype), name)


def save(graph, name, opset=13, ir=8):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="nncert-fixtures")
    model.ir_version = ir
    onnx.save(model, os.path.join(HERE, "models", name))


def build_models():
    r = np.random.default_rng(7)
    f32 = lambda *s: r.uniform(-1, 1, size=s).astype(np.float32)
    # features.onnx: opset 13, symbolic batch dim, per-channel normalisation, Conv SAME_UPPER + BN (folded),
    # MaxPool, Conv with dilation and a Transposed constant weight, AveragePool with pads, Sigmoid,
    # Shape/Gather/Unsqueeze/Concat/Reshape, no-op Transpose, W·x MatMul, Squeeze, Add, Tanh, Dropout, Identity,
    # Unsqueeze, Gemm (alpha, beta), Mul by a scalar.
    nodes = [
        helper.make_node("Sub", ["X", "mean"], ["n1"], name="sub_mean"),
        helper.make_node("Div", ["n1", "std"], ["n2"], name="div_std"),
        helper.make_node("Conv", ["n2", "w1", "b1"], ["c1"], name="conv1", auto_pad="SAME_UPPER", kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"], ["bn1"], name="bn1", epsilon=1e-3),
        helper.make_node("Relu", ["bn1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Transpose", ["w2t"], ["w2"], name="w2_transpose", perm=[3, 2, 0, 1]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 0, 0, 1], dilations=[2, 2]),
        helper.make_node("AveragePool", ["c2"], ["p2"], name="pool2", kernel_shape=[2, 2], pads=[1, 1, 0, 0]),
        helper.make_node("Sigmoid", ["p2"], ["s1"], name="sigmoid1"),
        helper.make_node("Shape", ["s1"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="gather_batch", axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"], name="unsqueeze_batch"),
        helper.make_node("Concat", ["batch1", "minus1"], ["target"], name="concat_shape", axis=0),
        helper.make_node("Reshape", ["s1", "target"], ["flat"], name="reshape_flat"),
        helper.make_node("Transpose", ["flat"], ["col"], name="to_column", perm=[1, 0]),
        helper.make_node("MatMul", ["w3", "col"], ["m3"], name="matmul_left"),
        helper.make_node("Squeeze", ["m3", "axes1"], ["v3"], name="squeeze"),
        helper.make_node("Add", ["v3", "b3"], ["a3"], name="bias3"),
        helper.make_node("Tanh", ["a3"], ["t3"], name="tanh3"),
        helper.make_node("Dropout", ["t3"], ["d3"], name="dropout"),
        helper.make_node("Identity", ["d3"], ["i3"], name="identity"),
        helper.make_node("Unsqueeze", ["i3", "axes0"], ["u3"], name="unsqueeze"),
        helper.make_node("Gemm", ["u3", "w4", "b4"], ["g4"], name="gemm4", alpha=0.5, beta=2.0),
        helper.make_node("Mul", ["g4", "three"], ["Y"], name="scale_out"),
    ]
    inits = [
        const("mean", f32(1, 2, 1, 1) * 0.1), const("std", 1 + r.uniform(0, 1, (1, 2, 1, 1))),
        const("w1", f32(3, 2, 3, 3)), const("b1", f32(3)),
        const("bn_s", 1 + f32(3) * 0.2), const("bn_b", f32(3)), const("bn_m", f32(3) * 0.1), const("bn_v", 1 + f32(3) * 0.5),
        const("w2t", f32(2, 2, 3, 4)), const("b2", f32(4)),
        const("zero", 0, np.int64), const("axes0", [0], np.int64), const("axes1", [1], np.int64),
        const("minus1", [-1], np.int64),
        const("w3", f32(5, 16)), const("b3", f32(5)), const("w4", f32(5, 3)), const("b4", f32(3)),
        const("three", 3.0),
    ]
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["batch", 2, 6, 6])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 3])
    save(helper.make_graph(nodes, "features", [x], [y], inits), "features.onnx")

    # features_opset11.onnx: attribute axes, Constant node, 2-D BatchNormalization folded into Gemm, x·W MatMul,
    # Neg, BatchNormalization after Relu (an elementwise layer), Flatten.
    nodes = [
        helper.make_node("Unsqueeze", ["X"], ["u"], name="unsqueeze", axes=[2]),
        helper.make_node("Squeeze", ["u"], ["s"], name="squeeze", axes=[2]),
        helper.make_node("Constant", [], ["w1"], name="const_w1", value=const("w1v", f32(6, 4))),
        helper.make_node("Gemm", ["s", "w1"], ["g"], name="gemm", transB=1),
        helper.make_node("BatchNormalization", ["g", "s1", "b1", "m1", "v1"], ["bn"], name="bn_dense"),
        helper.make_node("Relu", ["bn"], ["r"], name="relu"),
        helper.make_node("BatchNormalization", ["r", "s2", "b2", "m2", "v2"], ["bn2"], name="bn_after_relu"),
        helper.make_node("MatMul", ["bn2", "w2"], ["mm"], name="matmul"),
        helper.make_node("Neg", ["mm"], ["neg"], name="neg"),
        helper.make_node("Flatten", ["neg"], ["Y"], name="flatten", axis=1),
    ]
    inits = [
        const("s1", 1 + f32(6) * 0.3), const("b1", f32(6)), const("m1", f32(6) * 0.2), const("v1", 1 + f32(6) * 0.5),
        const("s2", 1 + f32(6) * 0.3), const("b2", f32(6)), const("m2", f32(6) * 0.2), const("v2", 1 + f32(6) * 0.5),
        const("w2", f32(6, 2)),
    ]
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 2])
    save(helper.make_graph(nodes, "features_opset11", [x], [y], inits), "features_opset11.onnx", opset=11, ir=6)

    # features_conv2.onnx: Conv SAME_LOWER stride 2, a per-element Mul (not foldable into the conv),
    # AveragePool with count_include_pad, GlobalAveragePool, Flatten.
    nodes = [
        helper.make_node("Conv", ["X", "w"], ["c"], name="conv", auto_pad="SAME_LOWER", strides=[2, 2]),
        helper.make_node("Mul", ["c", "k"], ["m"], name="mul_elementwise"),
        helper.make_node("Relu", ["m"], ["r"], name="relu"),
        helper.make_node("AveragePool", ["r"], ["a"], name="avg", kernel_shape=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1),
        helper.make_node("GlobalAveragePool", ["a"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["Y"], name="flatten"),
    ]
    inits = [const("w", f32(2, 1, 3, 3)), const("k", f32(1, 2, 3, 3))]
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 1, 5, 5])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 2])
    save(helper.make_graph(nodes, "features_conv2", [x], [y], inits), "features_conv2.onnx")

    # Bad models: each must be rejected with an error naming the node (or tensor).
    x20 = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 20])
    out = lambda n: helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, n])
    save(helper.make_graph(
        [helper.make_node("Gemm", ["X", "w", "b"], ["h"], name="fc1", transB=1),
         helper.make_node("Erf", ["h"], ["Y"], name="erf_1")],
        "bad_op", [x20], [out(4)], [const("w", f32(4, 20)), const("b", f32(4))]), "bad_unsupported_op.onnx")
    save(helper.make_graph(
        [helper.make_node("Gemm", ["X", "w", "b"], ["Y"], name="Gemm_3", transB=1)],
        "bad_shape", [x20], [out(10)], [const("w", f32(10, 30)), const("b", f32(10))]), "bad_shape_mismatch.onnx")
    bias = f32(4)
    bias[2] = np.nan
    save(helper.make_graph(
        [helper.make_node("Gemm", ["X", "w", "fc.bias"], ["Y"], name="fc", transB=1)],
        "bad_nan", [x20], [out(4)], [const("w", f32(4, 20)), const("fc.bias", bias)]), "bad_nan_weight.onnx")
    save(helper.make_graph(
        [helper.make_node("Add", ["X", "Z"], ["Y"], name="add_inputs")],
        "bad_two_inputs", [x20, helper.make_tensor_value_info("Z", TensorProto.FLOAT, [1, 20])], [out(20)], []),
        "bad_two_inputs.onnx")
    save(helper.make_graph(
        [helper.make_node("Relu", ["X"], ["a"], name="relu_branch"),
         helper.make_node("Sigmoid", ["X"], ["b"], name="sigmoid_branch"),
         helper.make_node("Add", ["a", "b"], ["Y"], name="merge")],
        "bad_branch", [x20], [out(20)], []), "bad_branch.onnx")
    save(helper.make_graph(
        [helper.make_node("Conv", ["X", "w"], ["Y"], name="grouped_conv", group=3)],
        "bad_group", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 2, 4, 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 2, 2, 2])], [const("w", f32(2, 1, 3, 3))]),
        "bad_grouped_conv.onnx")

    x4 = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 1, 4, 4])
    # (MaxPool with ceil_mode and data-moving Transpose are read now: ops_pool.onnx and ops_selection.onnx of
    # generate_operator_fixtures.py, with references.)
    save(helper.make_graph(
        [helper.make_node("AveragePool", ["X"], ["Y"], name="pool_ceil", kernel_shape=[3, 3], strides=[2, 2],
                          ceil_mode=1, count_include_pad=1)],
        "bad_ceil", [x4], [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 1, 2, 2])], []),
        "bad_ceil_mode.onnx")
    save(helper.make_graph(
        [helper.make_node("Gemm", ["X", "w16"], ["Y"], name="fc16", transB=1)],
        "bad_float16", [x20], [out(4)], [const("w16", np.random.default_rng(11).uniform(-1, 1, (4, 20)), np.float16)]), "bad_float16_weight.onnx")

    # small.nnet and its ONNX equivalent.
    W1, B1, W2, B2 = f32(4, 3), f32(4), f32(2, 4), f32(2)
    mins, maxs = [-2.0, -3.0, -2.5], [2.0, 3.0, 2.5]
    means = [0.25, -0.5, 0.125, 1.5]
    ranges = [2.0, 4.0, 0.5, 8.0]
    lines = ["// A 3-4-2 test network written by generate_reference_outputs.py", "// second header line",
             "2,3,2,4,", "3,4,2,", "0,", ",".join(map(repr, mins)) + ",", ",".join(map(repr, maxs)) + ",",
             ",".join(map(repr, means)) + ",", ",".join(map(repr, ranges)) + ","]
    for W, B in [(W1, B1), (W2, B2)]:
        lines += [",".join(repr(float(v)) for v in row) + "," for row in W]
        lines += [repr(float(v)) + "," for v in B]
    with open(os.path.join(HERE, "models", "small.nnet"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    nodes = [
        helper.make_node("Sub", ["X", "mean"], ["a"], name="sub_mean"),
        helper.make_node("Div", ["a", "range"], ["b"], name="div_range"),
        helper.make_node("MatMul", ["b", "w1"], ["c"], name="matmul1"),
        helper.make_node("Add", ["c", "b1"], ["d"], name="add1"),
        helper.make_node("Relu", ["d"], ["e"], name="relu1"),
        helper.make_node("MatMul", ["e", "w2"], ["f"], name="matmul2"),
        helper.make_node("Add", ["f", "b2"], ["g"], name="add2"),
        helper.make_node("Mul", ["g", "range_out"], ["h"], name="mul_range"),
        helper.make_node("Add", ["h", "mean_out"], ["Y"], name="add_mean"),
    ]
    inits = [const("mean", means[:3]), const("range", ranges[:3]), const("w1", W1.T), const("b1", B1),
             const("w2", W2.T), const("b2", B2), const("range_out", ranges[3]), const("mean_out", means[3])]
    save(helper.make_graph(nodes, "small_nnet", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 3])],
                           [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 2])], inits),
         "small_nnet_equivalent.onnx")


# ---------------------------------------------------------------- references

def network_files():
    """(set name, path as stored in the fixture (repo-relative or absolute), absolute path)."""
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, "properties", "**", "*.onnx"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        found.append(("properties/" + rel.split(os.sep)[1], rel, path))
    for bench in ["acasxu", "mnistfc", "test", "lipsdp"]:
        for path in sorted(glob.glob(os.path.join(SHARED, bench, "*.onnx"))):
            found.append((bench, path, path))
    for sub in ["models", "exported"]:
        for path in sorted(glob.glob(os.path.join(HERE, sub, "*.onnx"))):
            if os.path.basename(path).startswith("bad_"):
                continue
            found.append((sub, os.path.relpath(path, ROOT), path))
    return found


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def main():
    build_models()
    refs = {}
    for set_name, stored, path in network_files():
        name = os.path.basename(path)
        digest = sha256(path)
        if name in refs:
            assert refs[name]["sha256"] == digest, f"two different files named {name}"
            refs[name]["paths"].append(stored)
            continue
        refs[name] = {"file": name, "set": set_name, "paths": [stored], "sha256": digest, "seedBase": SEED_BASE,
                      "outputs": None, "_path": path}
    for old in glob.glob(os.path.join(HERE, "reference", "*.json")):
        os.remove(old)
    outputs = {}
    for name, ref in refs.items():
        outs = run(ref.pop("_path"))
        outputs[name] = outs
        ref["outputs"] = [[float(np.format_float_positional(np.float32(v), unique=True, trim="-")) for v in o] for o in outs]
        with open(os.path.join(HERE, "reference", name + ".json"), "w") as fh:
            json.dump(ref, fh, separators=(",", ":"))
    # The exported files agree with their sources in onnxruntime:
    sources = {"tiny_export.onnx": "tiny.onnx", "acasxu_1_1_export.onnx": "ACASXU_run2a_1_1_batch_2000.onnx",
               "features_export.onnx": "features.onnx", "features_conv2_export.onnx": "features_conv2.onnx",
               "small_nnet_export.onnx": "small_nnet_equivalent.onnx"}
    for exported, source in sources.items():
        if exported in outputs and source in outputs:
            diff = max(float(np.max(np.abs(a - b) / (1 + np.abs(b)))) for a, b in zip(outputs[exported], outputs[source]))
            print(f"export check: onnxruntime({exported}) vs onnxruntime({source}): max rel diff {diff:.3g}")
            assert diff < 1e-5, exported
    print(f"wrote {len(refs)} reference files to {os.path.join(HERE, 'reference')}")


if __name__ == "__main__":
    sys.exit(main())
