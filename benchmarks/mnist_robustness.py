"""Shared loader of the independent MNIST-FC checks (benchmark-only; no nncert code): the Gemm layers of a
Flatten/Gemm/Relu ONNX network as float64 (W, b) pairs with y = W x + b, and a robustness property's input box and
label."""
import re
import numpy as np, onnx
from onnx import numpy_helper


def load(net_path, prop_path):
    """Returns (layers, lo, hi, label)."""
    m = onnx.load(net_path)
    w = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in m.graph.initializer}
    layers = []
    for g in [n for n in m.graph.node if n.op_type == "Gemm"]:
        wk = w[g.input[1]]
        tb = [a.i for a in g.attribute if a.name == "transB"]
        layers.append((wk if (tb and tb[0]) else wk.T, w[g.input[2]]))
    txt = open(prop_path).read()
    n_in = layers[0][0].shape[1]
    lo = np.zeros(n_in); hi = np.zeros(n_in)
    for mm in re.finditer(r"\(assert \((<=|>=) X_(\d+) ([-\d.eE]+)\)\)", txt):
        (hi if mm[1] == "<=" else lo)[int(mm[2])] = float(mm[3])
    label = int(re.findall(r"\(>= Y_(\d+) Y_(\d+)\)", txt)[0][1])
    return layers, lo, hi, label
