#!/usr/bin/env python3
# Usage: python3 benchmarks/independent_lp_check.py NET.onnx PROP.vnnlib [--milp]
#        (Flatten/Gemm/Relu MNIST-style nets, 2 hidden layers)
# Independent check: triangle LP relaxation with LP-tightened intermediate bounds (scipy HiGHS), no nncert code.
# With --milp, every class the LP does not prove is solved exactly: a big-M MILP (one binary per unstable ReLU,
# the same LP-tightened bounds as big-M constants) by scipy.optimize.milp (HiGHS); its minimum is the exact margin.
import os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_robustness
from scipy.optimize import linprog, milp, LinearConstraint, Bounds
from scipy.sparse import lil_matrix, csr_matrix
net, prop = sys.argv[1], sys.argv[2]
use_milp = "--milp" in sys.argv[3:]
layers, lo, hi, label = mnist_robustness.load(net, prop)
# interval bounds first
l, u = lo.copy(), hi.copy(); pre = []
for k, (Wk, bk) in enumerate(layers):
    Wp, Wn = np.maximum(Wk, 0), np.minimum(Wk, 0)
    zl = Wp @ l + Wn @ u + bk; zu = Wp @ u + Wn @ l + bk
    pre.append((zl, zu))
    if k < len(layers) - 1: l, u = np.maximum(zl, 0), np.maximum(zu, 0)
# build LP: variables x (784), then per hidden layer z (pre) and h (post)
def build(nlayers, pre):
    nvar = 784; idx = []
    for k in range(nlayers):
        n = layers[k][0].shape[0]; idx.append((nvar, nvar + n, nvar + 2 * n)); nvar += 2 * n
    A_eq, b_eq, A_ub, b_ub, bounds = [], [], [], [], [(lo[i], hi[i]) for i in range(784)]
    prev = list(range(784))
    for k in range(nlayers):
        Wk, bk = layers[k]; n = Wk.shape[0]; zs, hs, _ = idx[k]; zl, zu = pre[k]
        for r in range(n):
            row = np.zeros(nvar); row[prev] = Wk[r]; row[zs + r] = -1; A_eq.append(row); b_eq.append(-bk[r])
        for r in range(n):
            bounds.append((zl[r], zu[r]))
        for r in range(n):
            L, U = zl[r], zu[r]
            if L >= 0: bounds.append((L, U)); row = np.zeros(nvar); row[hs + r] = 1; row[zs + r] = -1; A_eq.append(row); b_eq.append(0)
            elif U <= 0: bounds.append((0, 0))
            else:
                bounds.append((0, U))
                row = np.zeros(nvar); row[zs + r] = 1; row[hs + r] = -1; A_ub.append(row); b_ub.append(0)
                row = np.zeros(nvar); row[hs + r] = 1; row[zs + r] = -U / (U - L); A_ub.append(row); b_ub.append(-U * L / (U - L))
        prev = list(range(hs, hs + n))
    return nvar, prev, csr_matrix(np.array(A_eq)), np.array(b_eq), (csr_matrix(np.array(A_ub)) if A_ub else None), (np.array(b_ub) if b_ub else None), bounds
# tighten layer-2 pre-activation bounds with LP over layer 1 relaxation
nvar, prev, Ae, be, Au, bu, bds = build(1, pre)
W2, b2 = layers[1]
zl, zu = pre[1].copy() if False else (pre[1][0].copy(), pre[1][1].copy())
for r in range(W2.shape[0]):
    if zl[r] >= 0 or zu[r] <= 0: continue
    c = np.zeros(nvar); c[prev] = W2[r]
    a = linprog(c, A_ub=Au, b_ub=bu, A_eq=Ae, b_eq=be, bounds=bds, method="highs")
    b = linprog(-c, A_ub=Au, b_ub=bu, A_eq=Ae, b_eq=be, bounds=bds, method="highs")
    zl[r] = max(zl[r], a.fun + b2[r] - 1e-6); zu[r] = min(zu[r], -b.fun + b2[r] + 1e-6)
pre2 = [pre[0], (zl, zu)]
nvar, prev, Ae, be, Au, bu, bds = build(2, pre2)
W3, b3 = layers[2]

def exact_margin(c):
    """min c·vars over the network exactly: the triangle LP plus one binary a per unstable neuron with
    h <= z - L(1 - a) and h <= U a."""
    rows, rhs = [], []
    binaries = []
    k_off = 784
    for k in range(2):
        n = layers[k][0].shape[0]; zs, hs = k_off, k_off + n; zl, zu = pre2[k]
        for r in range(n):
            if zl[r] < 0 < zu[r]: binaries.append((zs + r, hs + r, zl[r], zu[r]))
        k_off += 2 * n
    total = nvar + len(binaries)
    for b, (zi, hi_, L, U) in enumerate(binaries):
        row = np.zeros(total); row[hi_] = 1; row[zi] = -1; row[nvar + b] = -L; rows.append(row); rhs.append(-L)
        row = np.zeros(total); row[hi_] = 1; row[nvar + b] = -U; rows.append(row); rhs.append(0)
    pad = lambda M: csr_matrix((M.data, M.indices, M.indptr), shape=(M.shape[0], total))
    cons = [LinearConstraint(pad(Ae), be, be)]
    if Au is not None: cons.append(LinearConstraint(pad(Au), -np.inf, bu))
    cons.append(LinearConstraint(csr_matrix(np.array(rows)), -np.inf, np.array(rhs)))
    lb = np.array([b[0] for b in bds] + [0] * len(binaries)); ub = np.array([b[1] for b in bds] + [1] * len(binaries))
    integrality = np.array([0] * nvar + [1] * len(binaries))
    cc = np.concatenate([c, np.zeros(len(binaries))])
    r = milp(cc, constraints=cons, bounds=Bounds(lb, ub), integrality=integrality, options={"time_limit": 600})
    print("  MILP:", len(binaries), "binaries, status", r.status, r.message)
    return r.fun if r.status == 0 else -np.inf

worst = 1e9
for j in range(10):
    if j == label: continue
    c = np.zeros(nvar); c[prev] = W3[label] - W3[j]
    r = linprog(c, A_ub=Au, b_ub=bu, A_eq=Ae, b_eq=be, bounds=bds, method="highs")
    val = r.fun + b3[label] - b3[j]
    print(j, "min y_label - y_j >=", val)
    if val <= 0 and use_milp:
        val = exact_margin(c) + b3[label] - b3[j]
        print(j, "exact MILP min y_label - y_j =", val)
    worst = min(worst, val)
print("PROVEN unsat" if worst > 0 else "not proven", worst)
