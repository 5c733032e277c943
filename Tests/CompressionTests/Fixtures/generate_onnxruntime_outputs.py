#!/usr/bin/env python3
"""Writes onnxruntime_outputs.json: onnxruntime's outputs on networks compressed by `nncert compress`.

Run from anywhere after `swift build`: `python3 Tests/CompressionTests/Fixtures/generate_onnxruntime_outputs.py
[PATH/TO/nncert]` (default .build/debug/nncert); needs numpy, onnx, onnxruntime. Never run by the tests.

Each case compresses its network (properties/acasxu/ACASXU_run2a_1_1_batch_2000.onnx unless the case names
one: the grouped, depthwise, strided and padded convolutions of ops_grouped_conv.onnx and the transposed ones of
ops_conv_transpose.onnx) with the case's command-line options,
checks the file with onnx.checker, and records the file's size and FNV-1a 64-bit hash (so that the Swift test,
which re-creates the file with the Compression library and ONNXExporter, knows it rebuilt the same bytes), the
inputs and onnxruntime's outputs. Input k is drawn by sample_input of
Tests/ONNXTests/Fixtures/generate_reference_outputs.py (SplitMix64 seeded with 1000 + k).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.dont_write_bytecode = True  # no __pycache__ in a test bundle's resource folder
sys.path.insert(0, os.path.join(ROOT, "Tests", "ONNXTests", "Fixtures"))
from generate_reference_outputs import MASK, SEED_BASE, sample_input  # noqa: E402  (the same seeded inputs)

NETWORK = "properties/acasxu/ACASXU_run2a_1_1_batch_2000.onnx"
GROUPED_CONV = "Tests/ONNXTests/Fixtures/models/ops_grouped_conv.onnx"
CONV_TRANSPOSE = "Tests/ONNXTests/Fixtures/models/ops_conv_transpose.onnx"
SAMPLES = 50

# name -> nncert compress options; Tests/CompressionTests/OnnxRuntimeAgreementTests.swift has the same steps.
CASES = [
    ("prune10-quantize8", ["--prune", "0.1", "--global", "--quantize", "8"]),
    ("prune50-per-layer-quantize8", ["--prune", "0.5", "--quantize", "8"]),
    ("quantize4-per-channel", ["--quantize", "4", "--per-channel"]),
    ("quantize2-per-channel", ["--quantize", "2", "--per-channel"]),
    ("ternary-per-channel", ["--ternary", "--per-channel"]),
    ("threshold-power-of-two5", ["--prune-threshold", "0.05", "--power-of-two", "--quantize", "5"]),
    ("structured30-share16", ["--structured-prune", "0.3", "--share", "16"]),
    ("hashed256", ["--share", "256", "--share-method", "hashed", "--seed", "7"]),
    ("low-rank8-prune30-per-layer-quantize8-per-channel",
     ["--low-rank", "8", "--prune", "0.3", "--quantize", "8", "--per-channel"]),
    ("quantize4", ["--quantize", "4"]),
    ("quantize2", ["--quantize", "2"]),
    ("ternary", ["--ternary"]),
    ("low-rank-energy90", ["--low-rank-energy", "0.9"]),
    ("grouped-conv-prune50-quantize4", ["--prune", "0.5", "--quantize", "4"], GROUPED_CONV),
    ("conv-transpose-prune30-quantize8-per-channel", ["--prune", "0.3", "--quantize", "8", "--per-channel"],
     CONV_TRANSPOSE),
]


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & MASK
    return h


def run_case(nncert, name, options, folder, network=NETWORK):
    path = os.path.join(folder, name + ".onnx")
    subprocess.run([nncert, "compress", os.path.join(ROOT, network), "--out", path] + options,
                   check=True, stdout=subprocess.DEVNULL)
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    shape = [d if isinstance(d, int) else 1 for d in inp.shape]
    count = int(np.prod(shape))
    inputs = [sample_input(k, count) for k in range(SAMPLES)]
    outputs = [session.run(None, {inp.name: x.reshape(shape)})[0].reshape(-1) for x in inputs]
    data = open(path, "rb").read()
    return {
        "name": name, "network": network, "options": options, "bytes": len(data), "fnv1a64": "%016x" % fnv1a64(data),
        "inputs": [[float(v) for v in x] for x in inputs],
        "outputs": [[float(v) for v in y] for y in outputs],
    }


def main():
    nncert = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "nncert")
    with tempfile.TemporaryDirectory() as folder:
        cases = [run_case(nncert, *case[:2], folder, *case[2:]) for case in CASES]
    result = {"network": NETWORK, "seedBase": SEED_BASE, "onnxruntime": ort.__version__, "cases": cases}
    with open(os.path.join(HERE, "onnxruntime_outputs.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print("wrote %d cases" % len(cases))


if __name__ == "__main__":
    main()
