#!/usr/bin/env python3
"""Interior-point / SCS reference for LipSDP-Neuron (benchmark only; never used by nncert or swift test).

Solves min ρ s.t. M(ρ,T) ⪯ 0, T = diag(λ) ≥ 0 (Fazlyab et al., NeurIPS 2019) with
cvxpy + SCS (eps 1e-6 by default) on a JSON MLP (ReLU between layers) and prints "solver L_raw total_seconds solver_seconds status".
The raw value is the solver's number, NOT certified (nncert's values pass a rounding-safe Cholesky check; this one does not).
Usage: reference_sdp.py WEIGHTS.json [SCS|CLARABEL] [eps]"""
import json
import sys
import time

import cvxpy as cp
import numpy as np

spec = json.load(open(sys.argv[1]))
solver = sys.argv[2] if len(sys.argv) > 2 else "SCS"
eps = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-6
ws = [np.array(l["weights"]) for l in spec["layers"]]
n = [ws[0].shape[1]] + [w.shape[0] for w in ws[:-1]]
N, Nh = sum(n), sum(n[1:])
K = len(ws) - 1

rho = cp.Variable(nonneg=True)
lams = [cp.Variable(k, nonneg=True) for k in n[1:]]
# Block-tridiagonal M (§1.4): M_00 = −ρI, M_{i−1,i} = W_{i−1}ᵀT_i, M_ii = −2T_i (+ W_KᵀW_K for i = K).
blocks = [[None] * (K + 1) for _ in range(K + 1)]
for i in range(K + 1):
    for j in range(K + 1):
        blocks[i][j] = np.zeros((n[i], n[j]))
blocks[0][0] = -rho * np.eye(n[0])
for i in range(1, K + 1):
    off = ws[i - 1].T @ cp.diag(lams[i - 1])
    blocks[i - 1][i] = off
    blocks[i][i - 1] = off.T
    blocks[i][i] = -2 * cp.diag(lams[i - 1]) + (ws[-1].T @ ws[-1] if i == K else 0)
M = cp.bmat(blocks)
prob = cp.Problem(cp.Minimize(rho), [M << 0])
start = time.time()
kwargs = {"eps": eps, "max_iters": 100000} if solver == "SCS" else {}
prob.solve(solver=solver, **kwargs)
total = time.time() - start
print(f"{solver} {np.sqrt(rho.value):.6f} {total:.2f} {prob.solver_stats.solve_time or 0:.2f} {prob.status}")
