#!/usr/bin/env python3
"""Independent robustness check for Flatten/Gemm/Relu MNIST-style networks of any depth (benchmark-only; no
nncert code): DeepPoly/CROWN back-substitution in numpy (float64), intermediate bounds layer by layer, then a lower
bound of y_label - y_j for every other class j over the property's input box.

Usage: python3 benchmarks/independent_crown_check.py NET.onnx PROP.vnnlib
Prints PROVEN unsat when every margin's lower bound is positive (margins far above float64 rounding), else
"not proven". Only the robustness form of MNIST-FC properties (`(>= Y_j Y_label)` disjuncts) is read.
"""
import os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_robustness

net, prop = sys.argv[1], sys.argv[2]
layers, lo, hi, label = mnist_robustness.load(net, prop)

relax = []  # per hidden layer: (lower slope, upper slope, upper intercept)

def lower_bound(C, k):
    """Lower bound of C·z_k over the box, z_k = W_k h_{k-1} + b_k, through the relaxations of layers < k."""
    A = C @ layers[k][0]; const = C @ layers[k][1]
    for j in range(k - 1, -1, -1):
        sl, su, tu = relax[j]
        Ap, An = np.maximum(A, 0), np.minimum(A, 0)
        const = const + An @ tu
        A = Ap * sl + An * su
        const = const + A @ layers[j][1]
        A = A @ layers[j][0]
    return np.maximum(A, 0) @ lo + np.minimum(A, 0) @ hi + const

for k in range(len(layers) - 1):
    n = layers[k][0].shape[0]
    l = lower_bound(np.eye(n), k); u = -lower_bound(-np.eye(n), k)
    sl = np.where(l >= 0, 1.0, np.where(u <= 0, 0.0, (u > -l).astype(float)))
    su = np.where(l >= 0, 1.0, np.where(u <= 0, 0.0, u / np.where(u - l > 0, u - l, 1)))
    tu = np.where((l < 0) & (u > 0), -su * l, 0.0)
    relax.append((sl, su, tu))
    print(f"layer {k + 1}: {int(((l < 0) & (u > 0)).sum())} unstable of {n}")
others = [j for j in range(layers[-1][0].shape[0]) if j != label]
C = np.zeros((len(others), layers[-1][0].shape[0]))
for r, j in enumerate(others): C[r, label] = 1; C[r, j] = -1
margins = lower_bound(C, len(layers) - 1)
for j, v in zip(others, margins): print(j, "y_label - y_j >=", v)
print("PROVEN unsat" if margins.min() > 1e-6 else "not proven", margins.min())
