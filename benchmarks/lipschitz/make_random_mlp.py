#!/usr/bin/env python3
"""Seeded random MLP: W ~ N(0, 2/fan_in) (He), b = 0.1·N(0,1), numpy seed 0.
Usage: make_random_mlp.py 100-64-64-10 OUT.json"""
import json
import sys

import numpy as np

sizes = [int(s) for s in sys.argv[1].split("-")]
rng = np.random.default_rng(0)
layers = []
for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
    w = rng.normal(0, np.sqrt(2 / fan_in), size=(fan_out, fan_in))
    b = 0.1 * rng.normal(size=fan_out)
    layers.append({"weights": w.tolist(), "bias": b.tolist()})
with open(sys.argv[2], "w") as f:
    json.dump({"layers": layers}, f)
