#!/usr/bin/env python3
"""Differential bounds on the oval21 CIFAR networks: certified max |g - f| of compressed copies, two builds.

Compresses each network with `nncert compress` (the candidate build), then runs
`nncert diff-bound ORIG COMP --property P --json` with each build, back to back per row, over the input box of
oval21 base properties (the three networks share the input space, so the base images' boxes serve all three).
One row per (network, variant, image): certified max |g - f| and seconds for the baseline and the candidate,
the attacked lower bound, and how each build bounded it (difference propagation or the product network).

    python3 benchmarks/diff_cifar.py --baseline /tmp/nncert-old --candidate .build/release/nncert \
        --oval21 ../shared/benchmarks/oval21 --splits 0 --no-proof --out results.csv
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

VARIANTS = {
    "quant8": ["--quantize", "8"],
    "quant4": ["--quantize", "4"],
    "prune0.3": ["--prune", "0.3"],
    "p50q8": ["--prune", "0.5", "--quantize", "8"],
}
IMAGES = {
    "img8194": "cifar_base_kw-img8194-eps0.018300653594771243.vnnlib",
    "img2578": "cifar_base_kw-img2578-eps0.021176470588235297.vnnlib",
    "img876": "cifar_base_kw-img876-eps0.024836601307189544.vnnlib",
}


def diff_bound(binary, orig, comp, spec, extra):
    """One `diff-bound --json` run: the first case's JSON (None when it failed) and the wall seconds."""
    cmd = [binary, "diff-bound", orig, comp, "--property", spec, "--json"] + extra
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        print(f"{' '.join(cmd)} failed: {proc.stderr.strip()}", file=sys.stderr)
        return None, wall
    return json.loads(proc.stdout)[0], wall


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--baseline", required=True)
    p.add_argument("--candidate", required=True)
    p.add_argument("--oval21", default="../shared/benchmarks/oval21")
    p.add_argument("--networks", nargs="+", default=["base", "wide", "deep"])
    p.add_argument("--variants", nargs="+", default=list(VARIANTS))
    p.add_argument("--images", nargs="+", default=list(IMAGES))
    p.add_argument("--time-limit", type=float, default=60)
    p.add_argument("--splits", type=int)
    p.add_argument("--no-proof", action="store_true")
    p.add_argument("--out")
    args = p.parse_args()
    extra = ["--time-limit", str(args.time_limit)]
    if args.splits is not None:
        extra += ["--splits", str(args.splits)]
    if args.no_proof:
        extra.append("--no-proof")
    header = ["network", "variant", "image", "attacked", "baseline", "baseline_method", "baseline_s", "candidate",
              "candidate_method", "candidate_s", "baseline/candidate"]
    rows = []
    print(" ".join(f"{h:>16}" for h in header))
    with tempfile.TemporaryDirectory() as tmp:
        for net in args.networks:
            orig = os.path.join(args.oval21, f"cifar_{net}_kw.onnx")
            for variant in args.variants:
                comp = os.path.join(tmp, f"{net}-{variant}.onnx")
                subprocess.run([args.candidate, "compress", orig, "--out", comp] + VARIANTS[variant],
                               check=True, capture_output=True)
                for image in args.images:
                    spec = os.path.join(args.oval21, IMAGES[image])
                    old, old_s = diff_bound(args.baseline, orig, comp, spec, extra)
                    new, new_s = diff_bound(args.candidate, orig, comp, spec, extra)
                    runs = [r for r in (old, new) if r is not None]
                    attacked = max((r.get("attackedWorst", 0) for r in runs), default=float("nan"))
                    row = [f"cifar_{net}_kw", variant, image, f"{attacked:.4g}"]
                    for r, s in ((old, old_s), (new, new_s)):
                        row += [f"{r['certifiedWorst']:.4g}", r["method"], f"{s:.1f}"] if r else ["-", "error", f"{s:.1f}"]
                    row.append(f"{old['certifiedWorst'] / new['certifiedWorst']:.2f}" if old and new else "-")
                    rows.append(row)
                    print(" ".join(f"{c:>16}" for c in row), flush=True)
    if args.out:
        with open(args.out, "w", newline="") as f:
            csv.writer(f).writerows([header] + rows)


if __name__ == "__main__":
    main()
