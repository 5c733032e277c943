#!/usr/bin/env python3
"""Generates the ONNX fixtures of the operator forms added for the vnnlib-satisfactory suite, and their
onnxruntime reference outputs (run from anywhere: `python3 Tests/ONNXTests/Fixtures/generate_operator_fixtures.py`;
needs numpy, onnx, onnxruntime).

Writes models/ops_*.onnx and reference/ops_*.onnx.json in the format of generate_reference_outputs.py (whose
main() also picks these models up when it regenerates every reference):
- ops_selection.onnx: Gather of the data (constant indices, 1-D and 2-D), Concat of the data with a constant and
  with itself, a Transpose that moves data, a Mul whose constant broadcast repeats the data ([5, 2, 1] · [1, 1, 3]).
- ops_conv1d.onnx: 1-D Conv (strides, pads, bias; dilation), 1-D MaxPool with ceil_mode,
  1-D AveragePool with pads, 1-D GlobalAveragePool.
- ops_pool.onnx: dilated MaxPool with pads, MaxPool with ceil_mode (stride below and above the kernel size),
  AveragePool with ceil_mode (count_include_pad 0).
- ops_grouped_conv.onnx: a grouped Conv (group 2, stride 2, pads, bias), a depthwise Conv (group = channels,
  dilation 2, padding 2), a depthwise Conv with a channel multiplier of 2 (group 4, 8 filters), a 1-D
  depthwise Conv, then a Gemm.
- ops_conv_transpose.onnx: ConvTranspose with stride 2, pads and output_padding; a grouped, dilated ConvTranspose;
  a strided Conv; a 1-D ConvTranspose with stride 3, pads and output_padding; then a Gemm.
- bad_conv_transpose_output_shape.onnx, bad_conv_transpose_output_padding.onnx: ConvTranspose forms the importer
  refuses (`output_shape`; `output_padding` not below the stride), no reference outputs.
- ops_constant_output.onnx: the output is Cast(Shape(X)), a constant.
- ops_linear.onnx (opset 18): Slice (negative step, INT64_MAX end, negative axis values), Split (second output),
  Expand, ReduceSum, Add of a ConstantOfShape, ReduceMean.
- ops_split.onnx (opset 18): Split into num_outputs 3 uneven parts (3, 3, 1), the middle one read.
- ops_softmax.onnx: Gemm, Relu, Gemm, Mul by 3, Softmax over the last axis (opset 13).
- ops_softmax_opset11.onnx (opset 11): Gemm, Tanh, Reshape to [1, 2, 3], Softmax with axis 1 (one group of 6).
- bad_softmax_axis.onnx: Softmax along the middle axis of [1, 2, 3] (opset 13), refused.
- ops_slice_reduce.onnx (opset 18): Slice with starts and ends beyond the axis (clamped) and negative steps, Slice
  without steps, ReduceSum with empty axes and noop_with_empty_axes, ReduceSum keeping the axis, Expand.
"""
import json
import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_reference_outputs as common  # noqa: E402


def value(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def build(r):
    f32 = lambda *s: r.uniform(-1, 1, size=s).astype(np.float32)
    i64 = lambda name, v: common.const(name, v, np.int64)

    nodes = [
        helper.make_node("Gather", ["X", "idx"], ["g"], name="gather_data", axis=1),
        helper.make_node("Concat", ["g", "c1", "g"], ["cat"], name="concat_data", axis=1),
        helper.make_node("Transpose", ["cat"], ["t"], name="transpose_data", perm=[1, 0]),
        helper.make_node("Relu", ["t"], ["r"]),
        helper.make_node("Unsqueeze", ["r", "ax"], ["u"]),
        helper.make_node("Mul", ["u", "c2"], ["m"], name="mul_expand"),
        helper.make_node("Sub", ["m", "c3"], ["s"]),
        helper.make_node("Flatten", ["s"], ["f"], axis=0),
        helper.make_node("Gemm", ["f", "W"], ["h"], transB=1),
        helper.make_node("Gather", ["h", "idx2"], ["Y"], name="gather_2d", axis=1),
    ]
    inits = [i64("idx", [2, 0]), common.const("c1", f32(2, 1)), i64("ax", [2]), common.const("c2", f32(1, 1, 3)),
             common.const("c3", f32(3)), common.const("W", f32(4, 30)), i64("idx2", [[3, 1], [0, 0]])]
    common.save(helper.make_graph(nodes, "ops_selection", [value("X", [2, 3])], [value("Y", [1, 2, 2])], inits),
                "ops_selection.onnx")

    nodes = [
        helper.make_node("Conv", ["X", "w1", "b1"], ["c1"], strides=[2], pads=[1, 0]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], dilations=[2], pads=[1, 1]),
        helper.make_node("MaxPool", ["c2"], ["p1"], kernel_shape=[3], strides=[2], ceil_mode=1),
        helper.make_node("AveragePool", ["p1"], ["p2"], kernel_shape=[2], pads=[1, 0]),
        helper.make_node("GlobalAveragePool", ["p2"], ["p3"]),
        helper.make_node("Flatten", ["p3"], ["Y"]),
    ]
    inits = [common.const("w1", f32(3, 2, 3)), common.const("b1", f32(3)), common.const("w2", f32(2, 3, 2))]
    common.save(helper.make_graph(nodes, "ops_conv1d", [value("X", [1, 2, 9])], [value("Y", [1, 2])], inits),
                "ops_conv1d.onnx")

    nodes = [
        helper.make_node("MaxPool", ["X"], ["p1"], kernel_shape=[2, 2], dilations=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("MaxPool", ["p1"], ["p2"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        helper.make_node("MaxPool", ["p2"], ["p3"], kernel_shape=[2, 2], strides=[3, 3], ceil_mode=1),
        helper.make_node("AveragePool", ["p3"], ["p4"], kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 0, 0],
                         ceil_mode=1),
        helper.make_node("Flatten", ["p4"], ["f"]),
        helper.make_node("Gemm", ["f", "W"], ["Y"], transB=1),
    ]
    common.save(helper.make_graph(nodes, "ops_pool", [value("X", [1, 2, 8, 8])], [value("Y", [1, 3])],
                                  [common.const("W", f32(3, 8))]), "ops_pool.onnx")

    nodes = [helper.make_node("Shape", ["X"], ["s"]), helper.make_node("Cast", ["s"], ["Y"], to=TensorProto.FLOAT)]
    common.save(helper.make_graph(nodes, "ops_constant_output", [value("X", [1, 3])], [value("Y", [2])], []),
                "ops_constant_output.onnx")

    nodes = [
        helper.make_node("Slice", ["X", "starts", "ends", "axes", "steps"], ["s"], name="slice_data"),
        helper.make_node("Split", ["s", "sizes"], ["a", "b"], name="split_data", axis=1),
        helper.make_node("Expand", ["b", "target"], ["e"], name="expand_data"),
        helper.make_node("Relu", ["e"], ["r"]),
        helper.make_node("ReduceSum", ["r", "axis1"], ["rs"], name="reduce_sum", keepdims=0),
        helper.make_node("ConstantOfShape", ["cshape"], ["half"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.5])),
        helper.make_node("Add", ["rs", "half"], ["h"]),
        helper.make_node("ReduceMean", ["h", "axis0"], ["rm"], name="reduce_mean", keepdims=1),
        helper.make_node("Gemm", ["rm", "W"], ["Y"], transB=1),
    ]
    inits = [i64("starts", [1, -1]), i64("ends", [np.iinfo(np.int64).max, -1000]), i64("axes", [1, 2]),
             i64("steps", [1, -2]), i64("sizes", [1, 1]), i64("target", [2, 3, 2]), i64("axis1", [1]),
             i64("cshape", [2, 2]), i64("axis0", [0]), common.const("W", f32(3, 2))]
    common.save(helper.make_graph(nodes, "ops_linear", [value("X", [2, 3, 4])], [value("Y", [1, 3])], inits),
                "ops_linear.onnx", opset=18)

    nodes = [helper.make_node("Split", ["X"], ["p0", "p1", "p2"], name="split_uneven", axis=1, num_outputs=3),
             helper.make_node("Relu", ["p1"], ["Y"])]
    common.save(helper.make_graph(nodes, "ops_split", [value("X", [1, 7])], [value("Y", [1, 3])], []),
                "ops_split.onnx", opset=18)

    nodes = [
        helper.make_node("Slice", ["X", "st1", "en1", "ax1", "sp1"], ["s1"]),
        helper.make_node("Slice", ["s1", "st2", "en2", "ax2"], ["s2"]),
        helper.make_node("ReduceSum", ["s2", "none"], ["n"], noop_with_empty_axes=1),
        helper.make_node("Relu", ["n"], ["r"]),
        helper.make_node("ReduceSum", ["r", "last"], ["rs"]),
        helper.make_node("Expand", ["rs", "target"], ["e"]),
        helper.make_node("Flatten", ["e"], ["Y"]),
    ]
    inits = [i64("st1", [4, 10]), i64("en1", [0, -10]), i64("ax1", [1, -1]), i64("sp1", [-2, -1]), i64("st2", [-2]),
             i64("en2", [1000]), i64("ax2", [2]), i64("none", np.zeros((0,), np.int64)), i64("last", [-1]),
             i64("target", [1, 2, 3])]
    common.save(helper.make_graph(nodes, "ops_slice_reduce", [value("X", [1, 5, 6])], [value("Y", [1, 6])], inits),
                "ops_slice_reduce.onnx", opset=18)

    nodes = [
        helper.make_node("Conv", ["X", "gw1", "gb1"], ["c1"], name="grouped", group=2, strides=[2, 2],
                         pads=[1, 0, 0, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "gw2", "gb2"], ["c2"], name="depthwise", group=4, dilations=[2, 2],
                         pads=[2, 2, 2, 2]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Conv", ["r2", "gw3"], ["c3"], name="multiplier", group=4, kernel_shape=[2, 2]),
        helper.make_node("Relu", ["c3"], ["r3"]),
        helper.make_node("Reshape", ["r3", "shape1d"], ["s1"]),
        helper.make_node("Conv", ["s1", "gw4", "gb4"], ["c4"], name="depthwise_1d", group=8, pads=[1, 1]),
        helper.make_node("Flatten", ["c4"], ["f"]),
        helper.make_node("Gemm", ["f", "W"], ["Y"], transB=1),
    ]
    inits = [common.const("gw1", f32(4, 2, 3, 3)), common.const("gb1", f32(4)), common.const("gw2", f32(4, 1, 3, 3)),
             common.const("gb2", f32(4)), common.const("gw3", f32(8, 1, 2, 2)), i64("shape1d", [1, 8, 9]),
             common.const("gw4", f32(8, 1, 3)), common.const("gb4", f32(8)), common.const("W", f32(3, 72))]
    common.save(helper.make_graph(nodes, "ops_grouped_conv", [value("X", [1, 4, 8, 8])], [value("Y", [1, 3])],
                                  inits), "ops_grouped_conv.onnx")

    nodes = [
        helper.make_node("ConvTranspose", ["X", "tw1", "tb1"], ["t1"], name="upsample", strides=[2, 2],
                         pads=[1, 1, 0, 0], output_padding=[1, 0]),
        helper.make_node("Relu", ["t1"], ["r1"]),
        helper.make_node("ConvTranspose", ["r1", "tw2"], ["t2"], name="grouped_dilated", group=2, dilations=[2, 2]),
        helper.make_node("Relu", ["t2"], ["r2"]),
        helper.make_node("Conv", ["r2", "cw", "cb"], ["c"], strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["r3"]),
        helper.make_node("Reshape", ["r3", "shape1d"], ["s1"]),
        helper.make_node("ConvTranspose", ["s1", "tw3", "tb3"], ["t3"], name="upsample_1d", strides=[3], pads=[1, 0],
                         output_padding=[2]),
        helper.make_node("Flatten", ["t3"], ["f"]),
        helper.make_node("Gemm", ["f", "W"], ["Y"], transB=1),
    ]
    inits = [common.const("tw1", f32(2, 4, 3, 3)), common.const("tb1", f32(4)), common.const("tw2", f32(4, 1, 2, 2)),
             common.const("cw", f32(3, 2, 3, 3)), common.const("cb", f32(3)), i64("shape1d", [1, 3, 20]),
             common.const("tw3", f32(3, 2, 2)), common.const("tb3", f32(2)), common.const("W", f32(3, 120))]
    common.save(helper.make_graph(nodes, "ops_conv_transpose", [value("X", [1, 2, 4, 4])], [value("Y", [1, 3])],
                                  inits), "ops_conv_transpose.onnx")

    # Transposed convolutions the importer refuses, each with a message naming the node.
    for name, attributes in [("bad_conv_transpose_output_shape.onnx", {"output_shape": [9, 9]}),
                             ("bad_conv_transpose_output_padding.onnx",
                              {"strides": [1, 1], "dilations": [3, 3], "output_padding": [1, 1]})]:
        node = helper.make_node("ConvTranspose", ["X", "w"], ["Y"], name="refused", **attributes)
        common.save(helper.make_graph([node], "refused", [value("X", [1, 2, 4, 4])], [value("Y", [1, 1, 9, 9])],
                                      [common.const("w", f32(2, 1, 3, 3))]), name)

    # Softmax, after the earlier fixtures so that their draws do not move: over the last axis (opset 13, as PyTorch
    # exports nn.Softmax(dim=-1)), and over a flattened [1, 2, 3] (opset 11's axis = 1: one group of 6).
    r = np.random.default_rng(2027)
    f32 = lambda *s: r.uniform(-1, 1, size=s).astype(np.float32)
    nodes = [
        helper.make_node("Gemm", ["X", "W1", "b1"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "W2", "b2"], ["z"], transB=1),
        helper.make_node("Mul", ["z", "k"], ["s"]),
        helper.make_node("Softmax", ["s"], ["Y"], name="softmax_last"),
    ]
    inits = [common.const("W1", f32(8, 5)), common.const("b1", f32(8)), common.const("W2", f32(4, 8)),
             common.const("b2", f32(4)), common.const("k", [3.0])]
    common.save(helper.make_graph(nodes, "ops_softmax", [value("X", [1, 5])], [value("Y", [1, 4])], inits),
                "ops_softmax.onnx")
    nodes = [
        helper.make_node("Gemm", ["X", "W1"], ["h"], transB=1),
        helper.make_node("Tanh", ["h"], ["t"]),
        helper.make_node("Reshape", ["t", "shape"], ["u"]),
        helper.make_node("Softmax", ["u"], ["Y"], name="softmax_flattened", axis=1),
    ]
    inits = [common.const("W1", f32(6, 3)), common.const("shape", [1, 2, 3], np.int64)]
    common.save(helper.make_graph(nodes, "ops_softmax_opset11", [value("X", [1, 3])], [value("Y", [1, 2, 3])], inits),
                "ops_softmax_opset11.onnx", opset=11, ir=6)
    # From opset 13 a softmax along a middle axis: not contiguous groups, refused with a message naming the node.
    node = helper.make_node("Softmax", ["X"], ["Y"], name="softmax_middle", axis=1)
    common.save(helper.make_graph([node], "refused", [value("X", [1, 2, 3])], [value("Y", [1, 2, 3])], []),
                "bad_softmax_axis.onnx")


FIXTURES = ["ops_selection.onnx", "ops_conv1d.onnx", "ops_pool.onnx", "ops_constant_output.onnx", "ops_linear.onnx",
            "ops_split.onnx", "ops_slice_reduce.onnx", "ops_grouped_conv.onnx",
            "ops_conv_transpose.onnx", "ops_softmax.onnx", "ops_softmax_opset11.onnx"]


def main():
    build(np.random.default_rng(2026))
    for name in FIXTURES:
        path = os.path.join(common.HERE, "models", name)
        outs = common.run(path)
        ref = {"file": name, "set": "models", "paths": [os.path.relpath(path, common.ROOT)],
               "sha256": common.sha256(path), "seedBase": common.SEED_BASE,
               "outputs": [[float(np.format_float_positional(np.float32(v), unique=True, trim="-")) for v in o]
                           for o in outs]}
        with open(os.path.join(common.HERE, "reference", name + ".json"), "w") as fh:
            json.dump(ref, fh, separators=(",", ":"))
        print(f"{name}: output shape {np.asarray(outs[0]).shape}, first output {outs[0][:4]}")


if __name__ == "__main__":
    sys.exit(main())
