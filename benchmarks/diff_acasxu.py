#!/usr/bin/env python3
"""Differential bounds on ACAS Xu: certified max |g - f| against the attacked lower bound.

Builds compressed variants of a few ACAS Xu networks with `nncert compress`, runs
`nncert diff-bound ORIG COMP --property prop_K.vnnlib --json` on the first input box of every
property 1-10 that applies to the network, and prints one table row per (network, variant, property):
certified max |g - f| (over the outputs), the attacked lower bound, their ratio, the naive bound,
leaves, stop reason and wall time. With several `--split-choices`, each row runs once per choice, back to back.

    python3 benchmarks/diff_acasxu.py --nncert .build/release/nncert \
        --acas ../shared/benchmarks/acasxu --networks 1_1 2_3 5_9 --time-limit 60 --out results.csv
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
    "prune0.05": ["--prune", "0.05"],
    "prune0.5": ["--prune", "0.5"],
    "quant8": ["--quantize", "8"],
    "quant4": ["--quantize", "4"],
    "p50q8": ["--prune", "0.5", "--quantize", "8"],
    "struct0.1": ["--structured-prune", "0.1"],
}

# Properties 1-4 apply to every network; 5-10 to one network each (Katz et al. 2017).
SPECIFIC = {5: "1_1", 6: "1_1", 7: "1_9", 8: "2_9", 9: "3_3", 10: "4_5"}


def properties_for(network):
    return [1, 2, 3, 4] + [p for p, n in sorted(SPECIFIC.items()) if n == network]


def run(cmd, timeout):
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - start


def diff_bound(args, orig, comp, spec, choice, name):
    """One `diff-bound --json` run: certified, attacked, ratio, naive, leaves, ReLU splits, stop, seconds."""
    cmd = [args.nncert, "diff-bound", orig, comp, "--property", spec, "--json", "--time-limit", str(args.time_limit),
           "--target-ratio", str(args.target_ratio), "--split-choice", choice]
    proc, _ = run(cmd, 20 * args.time_limit + 600)
    if proc.returncode != 0:
        print(f"diff-bound {name} {choice} failed: {proc.stderr.strip()}", file=sys.stderr)
        return None
    case = json.loads(proc.stdout)[0]  # the first input box (prop_6 has two)
    ratio = case.get("ratio")
    return [f"{case['certifiedWorst']:.4g}", f"{case.get('attackedWorst', float('nan')):.4g}",
            f"{ratio:.2f}" if ratio is not None else "-", f"{case['naiveWorst']:.4g}", case["leaves"],
            case.get("reluSplits", 0), case["stop"], f"{case['seconds']:.1f}"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nncert", default=".build/release/nncert")
    ap.add_argument("--acas", default="../shared/benchmarks/acasxu",
                    help="folder with ACASXU_run2a_N_M_batch_2000.onnx and prop_K.vnnlib")
    ap.add_argument("--networks", nargs="+", default=["1_1", "2_3", "5_9"])
    ap.add_argument("--variants", nargs="+", default=["prune0.05", "prune0.5", "quant8", "quant4"],
                    choices=sorted(VARIANTS))
    ap.add_argument("--properties", nargs="+", type=int, default=None, help="subset of 1-10")
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--target-ratio", type=float, default=2)
    ap.add_argument("--split-choices", nargs="+", default=["smear"],
                    help="diff-bound --split-choice values to run back to back per row (smear, widest, relu, auto)")
    ap.add_argument("--out", default=None, help="CSV file for the rows")
    args = ap.parse_args()

    rows = []
    header = ["network", "variant", "property", "split_choice", "certified", "attacked", "ratio", "naive", "leaves",
              "relu_splits", "stop", "seconds"]
    print(" | ".join(header), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for net in args.networks:
            orig = os.path.join(args.acas, f"ACASXU_run2a_{net}_batch_2000.onnx")
            for variant in args.variants:
                comp = os.path.join(tmp, f"{net}-{variant}.onnx")
                proc, _ = run([args.nncert, "compress", orig, "--out", comp] + VARIANTS[variant], 600)
                if proc.returncode != 0:
                    print(f"compress {net} {variant} failed: {proc.stderr.strip()}", file=sys.stderr)
                    continue
                for prop in properties_for(net):
                    if args.properties and prop not in args.properties:
                        continue
                    spec = os.path.join(args.acas, f"prop_{prop}.vnnlib")
                    for choice in args.split_choices:
                        row = diff_bound(args, orig, comp, spec, choice, f"{net} {variant} prop_{prop}")
                        if row is None:
                            continue
                        rows.append([net, variant, prop, choice] + row)
                        print(" | ".join(str(x) for x in rows[-1]), flush=True)
    if args.out:
        with open(args.out, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
    met = sum(1 for r in rows if r[6] != "-" and float(r[6]) <= args.target_ratio)
    print(f"within {args.target_ratio}x of the attack: {met}/{len(rows)}")


if __name__ == "__main__":
    main()
