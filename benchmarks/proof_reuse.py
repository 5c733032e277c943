#!/usr/bin/env python3
"""Proof reuse benchmark: verify compressed copies from scratch and with --reuse of the original's trace.

For each network and property: the original is verified once with --trace (its time is not compared: it is the
earlier run whose proof is reused); then for each compressed variant (nncert compress --prune 0.1, --quantize 8)
the copy is verified from scratch and, right after, with --reuse TRACE. Times are wall-clock seconds of the
nncert process (loading, trace reading and all); the table gives both verdicts, the ratio scratch/reuse, and
totals and the geometric mean of the ratios per variant.

    swift build -c release && cp .build/release/nncert /tmp/nncert
    python3 benchmarks/proof_reuse.py --nncert /tmp/nncert --timeout 60 --out benchmarks/results/proof-reuse-X.txt
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "benchmarks"))
VARIANTS = {"prune0.1": ["--prune", "0.1"], "quant8": ["--quantize", "8"]}


def run(cmd):
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    verdict = "error"
    if p.returncode == 0:
        try:
            verdict = json.loads(p.stdout)["verdict"]
        except (ValueError, KeyError):
            verdict = "?"
    else:
        sys.stderr.write(" ".join(cmd) + "\n" + p.stderr)
    return verdict, seconds


def acas_instances(nets, props):
    rows = []
    with open(os.path.join(SHARED, "acasxu", "instances.csv")) as f:
        for onnx, vnnlib, _ in csv.reader(f):
            net = onnx.replace("ACASXU_run2a_", "").replace("_batch_2000.onnx", "")
            prop = vnnlib.replace("prop_", "").replace(".vnnlib", "")
            if net in nets and (not props or prop in props):
                rows.append(("acasxu", os.path.join(SHARED, "acasxu", onnx), os.path.join(SHARED, "acasxu", vnnlib)))
    return rows


def mnist_instances(net, props):
    return [("mnistfc", os.path.join(SHARED, "mnistfc", net), os.path.join(SHARED, "mnistfc", f"prop_{p}.vnnlib"))
            for p in props]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nncert", default="/tmp/nncert", help="the release binary (copied out of .build)")
    ap.add_argument("--acas", default="1_1,2_1,3_3", help="ACAS Xu networks (their instances.csv properties)")
    ap.add_argument("--acas-props", default="", help="only these ACAS Xu properties (comma-separated numbers)")
    ap.add_argument("--mnist", default="0_0.03,3_0.03,5_0.03,9_0.03,13_0.03,0_0.05,6_0.05",
                    help="MNIST-FC 256x2 properties (prop_<X>.vnnlib), empty for none")
    ap.add_argument("--variants", default="prune0.1,quant8")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--out", help="also write the table here")
    args = ap.parse_args()

    instances = acas_instances(args.acas.split(","), [p for p in args.acas_props.split(",") if p])
    if args.mnist:
        instances += mnist_instances("mnist-net_256x2.onnx", args.mnist.split(","))
    variants = args.variants.split(",")
    timeout = ["--timeout", str(args.timeout)]
    lines = []

    def emit(text):
        print(text, flush=True)
        lines.append(text)

    emit(f"nncert {args.nncert}, timeout {args.timeout:g} s, wall-clock seconds per process, scratch then reuse back to back")
    emit(f"{'network':<22} {'variant':<9} {'property':<16} {'original':<9} {'scratch':<8} {'s':>8} {'reuse':<8} {'s':>8} {'ratio':>6}")
    results = []
    with tempfile.TemporaryDirectory(prefix="nncert-proof-reuse-") as tmp:
        compressed = {}
        for bench, net, prop in instances:
            name = os.path.basename(net).replace("ACASXU_run2a_", "").replace("_batch_2000", "").replace(".onnx", "")
            pname = os.path.basename(prop).replace(".vnnlib", "")
            trace = os.path.join(tmp, f"{name}-{pname}.jsonl")
            original, _ = run([args.nncert, "verify", net, prop, "--json", "--trace", trace] + timeout)
            for v in variants:
                copy = compressed.get((net, v))
                if copy is None:
                    copy = os.path.join(tmp, f"{name}-{v}.onnx")
                    subprocess.run([args.nncert, "compress", net, "--out", copy] + VARIANTS[v], check=True,
                                   capture_output=True)
                    compressed[(net, v)] = copy
                sv, st = run([args.nncert, "verify", copy, prop, "--json"] + timeout)
                rv, rt = run([args.nncert, "verify", copy, prop, "--json", "--reuse", trace] + timeout)
                results.append((v, sv, st, rv, rt))
                flag = "" if sv == rv else "  <- verdicts differ"
                emit(f"{name:<22} {v:<9} {pname:<16} {original:<9} {sv:<8} {st:8.2f} {rv:<8} {rt:8.2f} {st / rt:6.2f}{flag}")

    emit("")
    emit(f"{'variant':<9} {'instances':>9} {'scratch s':>10} {'reuse s':>10} {'ratio':>6} {'geomean':>8} {'same verdict':>13}")
    for v in variants + ["all"]:
        rows = [r for r in results if v == "all" or r[0] == v]
        if not rows:
            continue
        st = sum(r[2] for r in rows)
        rt = sum(r[4] for r in rows)
        geo = math.exp(sum(math.log(r[2] / r[4]) for r in rows) / len(rows))
        same = sum(1 for r in rows if r[1] == r[3])
        emit(f"{v:<9} {len(rows):>9} {st:10.2f} {rt:10.2f} {st / rt:6.2f} {geo:8.2f} {same:>6}/{len(rows)}")
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
