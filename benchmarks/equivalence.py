#!/usr/bin/env python3
"""epsilon-equivalence queries (VNN-LIB 2.0) on ACAS Xu: the differential screen against the product network.

For each (network, compressed variant, property box) it writes the `isomorphic_acasxu_2026` query template,
"some x in the box with |Y_g - Y_f| > eps on some output", for two values of eps taken from the largest
difference an attack finds (`nncert diff-bound --json`'s attacked lower bound a): eps = 2a (expected unsat) and
eps = a/2 (sat). Each query is verified twice by the same binary, back to back and interleaved (screen first on
even rows, product first on odd rows):

    nncert verify Q.vnnlib --network f=F.onnx --network g=G.onnx --timeout T                           (screen)
    nncert verify Q.vnnlib --network f=F.onnx --network g=G.onnx --timeout T --no-differential-screen  (product)

and the table gives both verdicts and times and the product/screen time ratio; the summary gives the ratio of
total times and the geometric mean of per-query ratios over queries both decided. Exit 1 if the two runs ever
answer sat and unsat on the same query.

    python3 benchmarks/equivalence.py --nncert /tmp/nncert-bench --acas ../shared/benchmarks/acasxu \
        --networks 1_1 2_3 --variants prune0.05 quant8 --properties 1 2 3 4 --timeout 60
"""
import argparse, csv, json, math, os, re, subprocess, sys, tempfile, time

VARIANTS = {"prune0.05": ["--prune", "0.05"], "prune0.5": ["--prune", "0.5"], "quant8": ["--quantize", "8"],
            "quant4": ["--quantize", "4"], "quant8pc": ["--quantize", "8", "--per-channel"]}


def box_of(vnnlib):
    """The input box of a VNN-LIB 1 property made of single-variable bounds (ACAS Xu properties 1-5, 7-10)."""
    lower, upper = {}, {}
    for op, var, value in re.findall(r"\(assert \((<=|>=) X_(\d+) ([-+0-9.eE]+)\)\)", open(vnnlib).read()):
        (upper if op == "<=" else lower)[int(var)] = value
    n = max(lower) + 1
    return [(lower[i], upper[i]) for i in range(n)]


def number(v):
    """A VNN-LIB 2.0 decimal (no exponent)."""
    s = f"{float(v):.17f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def query(box, eps, outputs=5):
    lines = ["(vnnlib-version <2.0>)",
             "(declare-network f (declare-input X_f real [1, 1, 1, 5]) (declare-output Y_f real [1, 5]))",
             "(declare-network g (isomorphic-to f) (declare-input X_g real [1, 1, 1, 5]) (declare-output Y_g real [1, 5]))"]
    for i, (lo, hi) in enumerate(box):
        lines.append(f"(assert (and (>= X_f[0,0,0,{i}] {number(lo)}) (<= X_f[0,0,0,{i}] {number(hi)})))")
        lines.append(f"(assert (== X_f[0,0,0,{i}] X_g[0,0,0,{i}]))")
    e = number(eps)
    rows = [f"(> Y_g[0,{k}] (+ Y_f[0,{k}] {e})) (< Y_g[0,{k}] (- Y_f[0,{k}] {e}))" for k in range(outputs)]
    lines.append("(assert (or " + " ".join(rows) + "))")
    return "\n".join(lines) + "\n"


def verify(nncert, q, f, g, timeout, screen):
    cmd = [nncert, "verify", q, "--network", f"f={f}", "--network", f"g={g}", "--timeout", str(timeout)]
    if not screen:
        cmd.append("--no-differential-screen")
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 120)
    elapsed = time.monotonic() - start
    word = proc.stdout.split("\n", 1)[0].strip() if proc.returncode == 0 else f"error{proc.returncode}"
    return word, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nncert", default=".build/release/nncert")
    ap.add_argument("--acas", default="../shared/benchmarks/acasxu")
    ap.add_argument("--networks", nargs="+", default=["1_1", "2_3"])
    ap.add_argument("--variants", nargs="+", default=["prune0.05", "quant8"], choices=sorted(VARIANTS))
    ap.add_argument("--properties", nargs="+", type=int, default=[1, 2, 3, 4])
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--out", default=None, help="CSV file for the rows")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="nncert-equivalence-")
    rows, conflict = [], False
    for net in args.networks:
        f = os.path.join(args.acas, f"ACASXU_run2a_{net}_batch_2000.onnx")
        for variant in args.variants:
            g = os.path.join(work, f"{net}_{variant}.onnx")
            subprocess.run([args.nncert, "compress", f, "--out", g] + VARIANTS[variant], check=True, capture_output=True)
            for p in args.properties:
                prop = os.path.join(args.acas, f"prop_{p}.vnnlib")
                diff = json.loads(subprocess.run([args.nncert, "diff-bound", f, g, "--property", prop, "--json",
                                                  "--splits", "0"], check=True, capture_output=True, text=True).stdout)
                attacked = diff[0]["attackedWorst"]
                for label, eps in (("2a", 2 * attacked), ("a/2", attacked / 2)):
                    q = os.path.join(work, f"{net}_{variant}_p{p}_{label.replace('/', '')}.vnnlib")
                    open(q, "w").write(query(box_of(prop), eps))
                    order = [True, False] if len(rows) % 2 == 0 else [False, True]
                    result = {s: verify(args.nncert, q, f, g, args.timeout, s) for s in order}
                    (ws, ts), (wp, tp) = result[True], result[False]
                    conflict |= {ws, wp} == {"sat", "unsat"}
                    rows.append(dict(network=net, variant=variant, property=p, eps=f"{eps:.4g}", eps_rule=label,
                                     screen=ws, screen_s=f"{ts:.2f}", product=wp, product_s=f"{tp:.2f}",
                                     ratio=f"{tp / ts:.2f}"))
                    print(" ".join(f"{v:>10}" for v in rows[-1].values()), flush=True)

    decided = [r for r in rows if r["screen"] in ("sat", "unsat") and r["product"] in ("sat", "unsat")]
    total_s = sum(float(r["screen_s"]) for r in rows)
    total_p = sum(float(r["product_s"]) for r in rows)
    geo = math.exp(sum(math.log(float(r["ratio"])) for r in decided) / len(decided)) if decided else float("nan")
    for who in ("screen", "product"):
        counts = {w: sum(1 for r in rows if r[who] == w) for w in ("unsat", "sat")}
        print(f"{who}: {counts['unsat']} unsat, {counts['sat']} sat, "
              f"{len(rows) - counts['unsat'] - counts['sat']} other of {len(rows)}")
    print(f"total time product/screen: {total_p:.1f} s / {total_s:.1f} s = {total_p / total_s:.2f}x; "
          f"geometric mean of per-query ratios over {len(decided)} decided by both: {geo:.2f}x")
    unsat = [r for r in decided if r["screen"] == "unsat"]
    if unsat:
        g2 = math.exp(sum(math.log(float(r["ratio"])) for r in unsat) / len(unsat))
        print(f"unsat queries only ({len(unsat)}): geometric mean ratio {g2:.2f}x")
    if args.out:
        with open(args.out, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
    if conflict:
        print("CONFLICT: sat and unsat on the same query", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
