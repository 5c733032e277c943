#!/usr/bin/env python3
"""MNIST-FC 256x2 against its 50%-pruned copy: all 30 VNN-COMP properties compared in one `nncert compare` run.

Compresses the network with `nncert compress --prune 0.5` (per layer), then runs

    nncert compare mnist-net_256x2.onnx pruned.onnx --property prop_K_E.vnnlib ... --timeout T \
        --decision-timeout D --json

over the 30 properties of instances.csv that use the network, and prints one row per property (verdicts on
both, outcome, certified max |g - f| and attacked value, decision equivalence, whether each verdict on the
original agrees with expected.csv), then the counts and the total wall time (the target: under 10 minutes).

    python3 benchmarks/compare_mnistfc.py --nncert /tmp/nncert-bench --mnist ../shared/benchmarks/mnistfc \
        --timeout 10 --decision-timeout 5
"""
import argparse, csv, json, os, subprocess, sys, tempfile, time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nncert", default=".build/release/nncert")
    ap.add_argument("--mnist", default="../shared/benchmarks/mnistfc")
    ap.add_argument("--network", default="mnist-net_256x2.onnx")
    ap.add_argument("--prune", default="0.5")
    ap.add_argument("--timeout", type=float, default=10, help="each verification run")
    ap.add_argument("--decision-timeout", type=float, default=5)
    ap.add_argument("--lipschitz-method", default="lipsdp-neuron")
    ap.add_argument("--out", default=None, help="write the JSON report here")
    args = ap.parse_args()

    net = os.path.join(args.mnist, args.network)
    with open(os.path.join(args.mnist, "instances.csv")) as fh:
        props = [row[1] for row in csv.reader(fh) if row and row[0] == args.network]
    expected = {}
    path = os.path.join(args.mnist, "expected.csv")
    if os.path.exists(path):
        with open(path) as fh:
            for row in csv.reader(fh):
                if len(row) >= 3 and row[0] == args.network:
                    expected[row[1]] = row[2].strip()
    work = tempfile.mkdtemp(prefix="nncert-compare-mnist-")
    pruned = os.path.join(work, "pruned.onnx")
    subprocess.run([args.nncert, "compress", net, "--out", pruned, "--prune", args.prune], check=True,
                   capture_output=True)
    cmd = [args.nncert, "compare", net, pruned, "--timeout", str(args.timeout), "--decision-timeout",
           str(args.decision_timeout), "--lipschitz-method", args.lipschitz_method, "--json"]
    for p in props:
        cmd += ["--property", os.path.join(args.mnist, p)]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        sys.exit(proc.returncode)
    report = json.loads(proc.stdout)
    if args.out:
        open(args.out, "w").write(proc.stdout)
    print(f"{'property':<18} {'original':>9} {'pruned':>9} {'outcome':>17} {'max|g-f|<=':>11} {'attacked>=':>11} "
          f"{'decision':>10} {'expected':>9}")
    wrong = 0
    for p, name in zip(report["properties"], props):
        certified = max(max(d["certified"]) for d in p["differences"])
        attacked = max(max(d["attacked"]) for d in p["differences"])
        decision = "/".join(sorted({d["outcome"] for d in p["decisions"]})) or "-"
        exp = expected.get(name, "?")
        verdict = p["original"]["verdict"]
        if exp in ("sat", "unsat") and verdict in ("sat", "unsat") and exp != verdict:
            wrong += 1
        print(f"{p['name']:<18} {verdict:>9} {p['compressed']['verdict']:>9} {p['outcome']:>17} "
              f"{certified:>11.4g} {attacked:>11.4g} {decision:>10} {exp:>9}")
    print("counts:", ", ".join(f"{v} {k}" for k, v in report["counts"].items()))
    if report.get("lipschitz"):
        l = report["lipschitz"]
        print(f"Lipschitz ({l['method']}): original {l.get('original')}, pruned {l.get('compressed')}, ratio {l.get('ratio')}")
    print(f"wall time: {elapsed:.1f} s for {len(props)} properties; wrong verdicts on the original: {wrong}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
