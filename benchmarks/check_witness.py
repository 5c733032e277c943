#!/usr/bin/env python3
"""Independent check of nncert `sat` witnesses with onnxruntime (benchmark-only; no nncert code).

Usage: python3 benchmarks/check_witness.py NET.onnx PROP.vnnlib RESULT.txt

PROP must use the common VNN-COMP form: input bounds `(assert (<= X_i c))` / `(assert (>= X_i c))` and one
output assertion that is a disjunction of conjunctions of `(>= Y_i Y_j)`, `(<= Y_i Y_j)`, `(>= Y_i c)` or
`(<= Y_i c)` (MNIST-FC, ACAS Xu 1-4). RESULT is a VNN-COMP result file (`sat` then `((X_0 v) ... (Y_0 v))`).
Prints whether the witness lies in the input box (tolerance 0) and whether onnxruntime's Float32 output
satisfies the output constraint; exit code 0 only when both hold.
"""
import re, sys
import numpy as np, onnxruntime as ort

net, prop, result = sys.argv[1:4]
text = open(prop).read()
xs = {int(i): float(v) for i, v in re.findall(r"\(X_(\d+)\s+([-+0-9.eE]+)\)", open(result).read())}
n = max(xs) + 1
x = np.array([xs[i] for i in range(n)])
lo = np.full(n, -np.inf); hi = np.full(n, np.inf)
for op, i, c in re.findall(r"\(assert \((<=|>=) X_(\d+) ([-+0-9.eE]+)\)\)", text):
    (hi if op == "<=" else lo)[int(i)] = float(c)
inside = bool(np.all(x >= lo) and np.all(x <= hi))
sess = ort.InferenceSession(net)
inp = sess.get_inputs()[0]
shape = [d if isinstance(d, int) else 1 for d in inp.shape]
y = sess.run(None, {inp.name: x.astype(np.float32).reshape(shape)})[0].reshape(-1).astype(np.float64)
out = text[text.index("(assert (or") :] if "(assert (or" in text else "\n".join(
    l for l in text.splitlines() if "Y_" in l and l.strip().startswith("(assert"))
def atom_holds(op, a, b):
    va = y[int(a[2:])]
    vb = y[int(b[2:])] if b.startswith("Y_") else float(b)
    return va >= vb if op == ">=" else va <= vb
conjunctions = re.findall(r"\(and((?:\s*\((?:<=|>=) \S+ \S+\))+)\s*\)", out) or [out]
satisfied = any(all(atom_holds(op, a, b) for op, a, b in re.findall(r"\((<=|>=) (Y_\d+) ([^\s()]+)\)", c))
                for c in conjunctions)
print(f"inside box: {inside}; output constraint holds (onnxruntime Float32): {satisfied}; y = {np.round(y, 6).tolist()}")
sys.exit(0 if inside and satisfied else 1)
