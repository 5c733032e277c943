"""Builds the tiny sat/unsat pair shipped in properties/tiny (run from this folder: python3 make_tiny.py).

A 2-4-4-2 ReLU network with fixed weights. The exact maximum of y0 - y1 over the box [-1, 1]^2 is computed by
enumerating all 2^8 activation patterns and solving one LP per pattern (scipy.optimize.linprog): that maximum
decides both properties exactly. tiny_unsat asks for y0 - y1 >= max + 0.05 (no input reaches it: unsat);
tiny_sat asks for y0 - y1 >= max - 0.05 (reached near the maximiser: sat).
"""
import itertools
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto
from scipy.optimize import linprog

W1 = np.array([[1.0, -0.5], [0.5, 1.0], [-1.0, 0.25], [0.3, -0.8]])
b1 = np.array([0.1, -0.2, 0.05, 0.0])
W2 = np.array([[0.6, -0.4, 0.9, 0.2], [-0.3, 0.8, 0.1, -0.7], [0.5, 0.5, -0.6, 0.4], [0.2, -0.9, 0.3, 0.6]])
b2 = np.array([0.0, 0.1, -0.1, 0.05])
W3 = np.array([[1.0, -0.5, 0.7, 0.3], [-0.6, 0.9, -0.2, 0.8]])
b3 = np.array([0.0, 0.0])

def forward(x):
    h1 = np.maximum(W1 @ x + b1, 0)
    h2 = np.maximum(W2 @ h1 + b2, 0)
    return W3 @ h2 + b3

def exact_max():
    """max of y0 - y1 over [-1,1]^2, by activation-pattern enumeration (one LP per pattern)."""
    best, arg = -np.inf, None
    c = np.array([1.0, -1.0])
    for p1 in itertools.product([0, 1], repeat=4):
        D1 = np.diag(p1)
        # h1 = D1 (W1 x + b1); constraints: active rows >= 0, inactive rows <= 0
        A_ub, b_ub = [], []
        for i in range(4):
            s = -1 if p1[i] else 1
            A_ub.append(s * W1[i]); b_ub.append(-s * b1[i])
        A1, c1 = D1 @ W1, D1 @ b1
        for p2 in itertools.product([0, 1], repeat=4):
            D2 = np.diag(p2)
            A2 = W2 @ A1; c2 = W2 @ c1 + b2
            Au, bu = list(A_ub), list(b_ub)
            for i in range(4):
                s = -1 if p2[i] else 1
                Au.append(s * A2[i]); bu.append(-s * c2[i])
            g = c @ W3 @ D2 @ A2
            g0 = c @ (W3 @ D2 @ c2 + b3)
            r = linprog(-g, A_ub=np.array(Au), b_ub=np.array(bu), bounds=[(-1, 1)] * 2, method="highs")
            if r.status == 0 and -r.fun + g0 > best:
                best, arg = -r.fun + g0, r.x
    return best, arg

def gemm(name, W, b, inp, out):
    return [numpy_helper.from_array(W.astype(np.float32), name + "_W"),
            numpy_helper.from_array(b.astype(np.float32), name + "_b")], \
           helper.make_node("Gemm", [inp, name + "_W", name + "_b"], [out], name=name, transB=1)

inits, nodes = [], []
for name, W, b, i, o in [("fc1", W1, b1, "x", "z1"), ("fc2", W2, b2, "h1", "z2"), ("fc3", W3, b3, "h2", "y")]:
    t, n = gemm(name, W, b, i, o); inits += t; nodes.append(n)
nodes.insert(1, helper.make_node("Relu", ["z1"], ["h1"], name="relu1"))
nodes.insert(3, helper.make_node("Relu", ["z2"], ["h2"], name="relu2"))
graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="nncert")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "tiny.onnx")

# Use the float32-rounded weights for the exact maximum, as the model stores them.
W1, b1, W2, b2, W3, b3 = [a.astype(np.float32).astype(np.float64) for a in (W1, b1, W2, b2, W3, b3)]
m, arg = exact_max()
print(f"exact max of y0-y1 over [-1,1]^2: {m:.9f} at x = {arg}, forward check {forward(arg)[0]-forward(arg)[1]:.9f}")

def prop(threshold, comment):
    return f"""; {comment}
; tiny.onnx: exact max of Y_0 - Y_1 over the box is {m:.9f} (scripted enumeration, make_tiny.py)
(declare-const X_0 Real)
(declare-const X_1 Real)
(declare-const Y_0 Real)
(declare-const Y_1 Real)
(assert (>= X_0 -1.0))
(assert (<= X_0 1.0))
(assert (>= X_1 -1.0))
(assert (<= X_1 1.0))
; violation: Y_0 - Y_1 >= {threshold:.6f}
(assert (>= (- Y_0 Y_1) {threshold:.6f}))
"""
open("tiny_unsat.vnnlib", "w").write(prop(m + 0.05, "unsat: the threshold is 0.05 above the exact maximum"))
open("tiny_sat.vnnlib", "w").write(prop(m - 0.05, "sat: the threshold is 0.05 below the exact maximum"))
