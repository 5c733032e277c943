"""Builds the multi-network CLI fixtures (run from this folder: python3 make_pair.py).

f.onnx is a 2-3-2 ReLU network, g.onnx the same architecture with pruned and perturbed weights (a compressed
copy: isomorphic-to f), deeper.onnx a 2-3-3-2 network (not isomorphic to f). The exact maximum of |g_i(x) - f_i(x)|
over the box [-1, 1]^2 is computed by enumerating the 2^6 joint activation patterns of f and g and solving one
LP per pattern and sign (scipy.optimize.linprog); it decides the equivalence queries exactly:
equivalent_unsat.vnnlib asks for |Y_g - Y_f| > max + 0.02 (unsat), equivalent_sat.vnnlib for
|Y_g - Y_f| > max - 0.02 (sat). equal_to.vnnlib declares g equal-to f (the same model: unsat for any positive
epsilon), untied.vnnlib reads f and g on separate boxes (no ties).
"""
import itertools
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto
from scipy.optimize import linprog

F = [(np.array([[1.0, -0.5], [0.5, 1.0], [-1.0, 0.25]]), np.array([0.1, -0.2, 0.05])),
     (np.array([[0.6, -0.4, 0.9], [-0.3, 0.8, 0.1]]), np.array([0.0, 0.1]))]
G = [(np.array([[0.95, -0.5], [0.5, 1.05], [-1.0, 0.0]]), np.array([0.1, -0.15, 0.05])),
     (np.array([[0.6, -0.45, 0.9], [-0.3, 0.8, 0.0]]), np.array([0.02, 0.1]))]
DEEPER = [(np.array([[1.0, -0.5], [0.5, 1.0], [-1.0, 0.25]]), np.array([0.1, -0.2, 0.05])),
          (np.array([[0.5, 0.2, -0.3], [0.1, -0.4, 0.6], [0.3, 0.3, 0.3]]), np.array([0.0, 0.05, -0.05])),
          (np.array([[0.6, -0.4, 0.9], [-0.3, 0.8, 0.1]]), np.array([0.0, 0.1]))]

def as32(layers):
    return [(W.astype(np.float32).astype(np.float64), b.astype(np.float32).astype(np.float64)) for W, b in layers]

def save(layers, path):
    inits, nodes, current = [], [], "x"
    for k, (W, b) in enumerate(layers):
        inits += [numpy_helper.from_array(W.astype(np.float32), f"W{k}"),
                  numpy_helper.from_array(b.astype(np.float32), f"b{k}")]
        out = "y" if k == len(layers) - 1 else f"z{k}"
        nodes.append(helper.make_node("Gemm", [current, f"W{k}", f"b{k}"], [out], name=f"fc{k}", transB=1))
        if k < len(layers) - 1:
            nodes.append(helper.make_node("Relu", [out], [f"h{k}"], name=f"relu{k}"))
            current = f"h{k}"
    graph = helper.make_graph(nodes, "pair", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="nncert")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)

def max_abs_difference(f, g):
    """max over x in [-1,1]^2 and i of |g_i(x) - f_i(x)|, by joint activation-pattern enumeration."""
    (W1, b1), (W2, b2) = f
    (V1, c1), (V2, c2) = g
    best = -np.inf
    for p, q in itertools.product(itertools.product([0, 1], repeat=3), repeat=2):
        A, bb = [], []
        for W, b, pattern in [(W1, b1, p), (V1, c1, q)]:
            for i in range(3):
                s = -1 if pattern[i] else 1          # active: W x + b >= 0; inactive: <= 0
                A.append(s * W[i]); bb.append(-s * b[i])
        # g - f on this pattern is affine: D x + e
        D = V2 @ np.diag(q) @ V1 - W2 @ np.diag(p) @ W1
        e = V2 @ np.diag(q) @ c1 + c2 - (W2 @ np.diag(p) @ b1 + b2)
        for i in range(2):
            for sign in (1, -1):
                r = linprog(-sign * D[i], A_ub=np.array(A), b_ub=np.array(bb), bounds=[(-1, 1)] * 2, method="highs")
                if r.status == 0:
                    best = max(best, -r.fun + sign * e[i])
    return best

save(F, "f.onnx")
save(G, "g.onnx")
save(DEEPER, "deeper.onnx")
m = max_abs_difference(as32(F), as32(G))
print(f"exact max |g - f| over [-1,1]^2: {m:.9f}")

HEADER = """(vnnlib-version <2.0>)
(declare-network f
    (declare-input X_f float32 [1, 2])
    (declare-output Y_f float32 [1, 2]))
(declare-network g
    ({equivalence} f)
    (declare-input X_g float32 [1, 2])
    (declare-output Y_g float32 [1, 2]))
"""
BOX = """(assert (and (>= X_f[0,0] -1.0) (<= X_f[0,0] 1.0) (>= X_f[0,1] -1.0) (<= X_f[0,1] 1.0)))
(assert (== X_f[0,0] X_g[0,0]))
(assert (== X_f[0,1] X_g[0,1]))
"""

def equivalence(eps, equivalence="isomorphic-to"):
    return HEADER.format(equivalence=equivalence) + BOX + f"""(assert (or
 (> Y_g[0,0] (+ Y_f[0,0] {eps:.6f})) (< Y_g[0,0] (- Y_f[0,0] {eps:.6f}))
 (> Y_g[0,1] (+ Y_f[0,1] {eps:.6f})) (< Y_g[0,1] (- Y_f[0,1] {eps:.6f}))))
"""

comment = f"; f.onnx, g.onnx: exact max of |Y_g - Y_f| over the box is {m:.9f} (make_pair.py)\n"
open("equivalent_unsat.vnnlib", "w").write(comment + equivalence(m + 0.02))
open("equivalent_sat.vnnlib", "w").write(comment + equivalence(m - 0.02))
open("equal_to.vnnlib", "w").write("; g is f itself: never 0.001 apart\n" + equivalence(0.001, "equal-to"))
open("untied.vnnlib", "w").write("; f and g on separate boxes (no ties): can Y_f[0,0] exceed Y_g[0,0] by 1?\n"
    + HEADER.format(equivalence="isomorphic-to")
    + """(assert (and (>= X_f[0,0] -1.0) (<= X_f[0,0] 1.0) (>= X_f[0,1] -1.0) (<= X_f[0,1] 1.0)))
(assert (and (>= X_g[0,0] 0.0) (<= X_g[0,0] 0.5) (>= X_g[0,1] 0.0) (<= X_g[0,1] 0.5)))
(assert (>= (- Y_f[0,0] Y_g[0,0]) 1.0))
""")
