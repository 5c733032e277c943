#!/usr/bin/env python3
"""Compression comparison on a max-pooling CNN (no dataset needed).

`make DIR` distils a small PyTorch CNN with two max pools (conv 8 - pool - conv 16 - pool - dense 64 - dense 10,
on 1x28x28) from MNIST-FC's `mnist-net_256x2.onnx`, on blends and noisy copies of the 15 images of the MNIST-FC
properties (needs torch, onnx, onnxruntime; the test images are not on this machine), exports it as PyTorch does
(opset 17) and writes robustness properties `cnn_K_EPS.vnnlib` of its own class at those images.

`run DIR --nncert BIN` compresses it (`--quantize 8`, `--prune 0.3`) and prints, per property and variant, the
certified max |g - f| of `diff-bound` unsplit (`--splits 0 --no-proof`) and at `--time-limit` seconds, the attacked
lower bound and the naive bound, as a table and a CSV.

    python3 benchmarks/maxpool_cnn.py make /tmp/mpb --mnistfc ../shared/benchmarks/mnistfc
    python3 benchmarks/maxpool_cnn.py run /tmp/mpb --nncert .build/release/nncert --out results.csv
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

VARIANTS = {"quant8": ["--quantize", "8"], "prune0.3": ["--prune", "0.3"]}


def make(args):
    import numpy as np
    import onnxruntime as ort
    import torch
    import torch.nn as nn

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    images = []
    for k in range(15):
        text = open(os.path.join(args.mnistfc, f"prop_{k}_0.03.vnnlib")).read()
        lo = {int(i): float(v) for i, v in re.findall(r"\(>= X_(\d+) ([-\d.e]+)\)", text)}
        hi = {int(i): float(v) for i, v in re.findall(r"\(<= X_(\d+) ([-\d.e]+)\)", text)}
        images.append(np.array([(lo[i] + hi[i]) / 2 for i in range(784)], dtype=np.float32))
    images = np.stack(images)
    teacher = ort.InferenceSession(os.path.join(args.mnistfc, "mnist-net_256x2.onnx"))
    name = teacher.get_inputs()[0].name

    def batch(n):
        a, b = images[rng.integers(0, 15, n)], images[rng.integers(0, 15, n)]
        mix = rng.uniform(0.6, 1.0, (n, 1))
        x = np.clip(mix * a + (1 - mix) * b + rng.uniform(-0.15, 0.15, (n, 784)), 0, 1).astype(np.float32)
        y = np.stack([teacher.run(None, {name: r.reshape(1, 784, 1)})[0].ravel() for r in x])
        return torch.tensor(x).view(-1, 1, 28, 28), torch.tensor(y)

    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))
    optimiser = torch.optim.Adam(model.parameters(), 2e-3)
    for _ in range(1500):
        x, y = batch(128)
        loss = nn.functional.mse_loss(model(x), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()
    x, y = batch(2000)
    print("agreement with mnist-net_256x2:", float((model(x).argmax(1) == y.argmax(1)).float().mean()))
    os.makedirs(args.dir, exist_ok=True)
    path = os.path.join(args.dir, "mnist_cnn_maxpool.onnx")
    torch.onnx.export(model, x[:1], path, opset_version=17, input_names=["input"], output_names=["output"], dynamo=False)
    session = ort.InferenceSession(path)
    for k, image in enumerate(images):
        c = int(np.argmax(session.run(None, {"input": image.reshape(1, 1, 28, 28)})[0]))
        for eps in (0.005, 0.01, 0.02):
            with open(os.path.join(args.dir, f"cnn_{k}_{eps}.vnnlib"), "w") as f:
                f.writelines(f"(declare-const X_{i} Real)\n" for i in range(784))
                f.writelines(f"(declare-const Y_{i} Real)\n" for i in range(10))
                for i, v in enumerate(image):
                    f.write(f"(assert (>= X_{i} {max(0.0, v - eps):.8f}))\n(assert (<= X_{i} {min(1.0, v + eps):.8f}))\n")
                f.write("(assert (or\n" + "".join(f"  (and (>= Y_{j} Y_{c}))\n" for j in range(10) if j != c) + "))\n")


def diff_bound(binary, orig, comp, spec, extra):
    start = time.monotonic()
    proc = subprocess.run([binary, "diff-bound", orig, comp, "--property", spec, "--json"] + extra,
                          capture_output=True, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        return None, seconds, proc.stderr.strip()
    return json.loads(proc.stdout)[0], seconds, ""


def run(args):
    orig = os.path.join(args.dir, "mnist_cnn_maxpool.onnx")
    rows = []
    print(f"{'property':16} {'variant':9} {'unsplit':>9} {'at ' + str(args.time_limit) + ' s':>9} {'attacked':>9} "
          f"{'naive':>9} {'ratio':>6} {'leaves':>6} {'s':>6}")
    for variant, flags in VARIANTS.items():
        comp = os.path.join(args.dir, f"{variant}.onnx")
        subprocess.run([args.nncert, "compress", orig, "--out", comp] + flags, check=True, capture_output=True)
        for k in args.properties:
            spec = os.path.join(args.dir, f"cnn_{k}_{args.eps}.vnnlib")
            unsplit, _, err = diff_bound(args.nncert, orig, comp, spec, ["--splits", "0", "--no-proof"])
            refined, seconds, err2 = diff_bound(args.nncert, orig, comp, spec, ["--time-limit", str(args.time_limit)])
            if unsplit is None or refined is None:
                print(f"cnn_{k}_{args.eps:<10} {variant:9} error: {err or err2}")
                continue
            row = {"property": f"cnn_{k}_{args.eps}", "variant": variant, "unsplit": unsplit["certifiedWorst"],
                   "refined": refined["certifiedWorst"], "attacked": refined["attackedWorst"],
                   "naive": refined["naiveWorst"], "leaves": refined["leaves"], "seconds": round(seconds, 2),
                   "method": refined["method"]}
            row["ratio"] = row["refined"] / row["attacked"] if row["attacked"] else float("inf")
            rows.append(row)
            print(f"{row['property']:16} {variant:9} {row['unsplit']:9.4g} {row['refined']:9.4g} {row['attacked']:9.4g} "
                  f"{row['naive']:9.4g} {row['ratio']:6.2f} {row['leaves']:6d} {row['seconds']:6.1f}")
    if args.out:
        with open(args.out, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            writer.writeheader()
            writer.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir")
    m.add_argument("--mnistfc", default="../shared/benchmarks/mnistfc")
    r = sub.add_parser("run")
    r.add_argument("dir")
    r.add_argument("--nncert", required=True)
    r.add_argument("--eps", default="0.005")
    r.add_argument("--properties", type=int, nargs="+", default=[0, 1, 2, 3, 4, 5])
    r.add_argument("--time-limit", type=float, default=10)
    r.add_argument("--out")
    args = parser.parse_args()
    make(args) if args.command == "make" else run(args)


if __name__ == "__main__":
    sys.exit(main())
