#!/usr/bin/env python3
"""Runs nncert on a VNN-COMP benchmark set and prints a table.

Usage:
  python3 benchmarks/vnncomp.py BENCHMARK_DIR [--timeout-scale F] [--max-timeout S] [--limit N] [--filter SUBSTR]
                                [--nncert PATH] [--out results.csv] [--peer marabou] [--instances CSV] [--in-process]

BENCHMARK_DIR holds instances.csv (onnx,vnnlib,timeout) and optionally expected.csv (onnx,vnnlib,expected),
e.g. the acasxu folder of a VNN-COMP benchmark checkout (not part of this repository). Each instance runs as `nncert verify NET PROP --timeout T --result FILE`
(release build, a fresh process per instance, wall time including process start). A verdict that contradicts
expected.csv is counted as wrong. With --peer marabou, Marabou (pip maraboupy) runs each instance right after
nncert, so the two are timed back to back under the same machine load. To compare two nncert builds, use
benchmarks/compare.py (it imports the helpers below).

Without a peer, `nncert suite BENCHMARK_DIR/instances.csv --expected BENCHMARK_DIR/expected.csv` does the same
in one process (with --timeout-scale, --max-timeout, --shard K/N, JSON/JUnit/Markdown/CSV reports; README,
"Running a suite of instances"). --in-process runs the selected instances that way: this script writes them to
a temporary list and prints nncert suite's results in its own table (times exclude process start).
"""
import argparse, csv, json, os, subprocess, sys, tempfile, time

def run_nncert(nncert, net, prop, timeout, result_path):
    start = time.time()
    try:
        p = subprocess.run([nncert, "verify", net, prop, "--timeout", str(timeout), "--result", result_path],
                           capture_output=True, text=True, timeout=timeout + 30)
        out = p.stdout.splitlines()
        verdict = out[0].strip() if out and p.returncode == 0 else f"error({p.returncode})"
        nodes = next((l.split(":")[1].strip() for l in out if l.startswith("nodes:")), "")
        err = p.stderr.strip().splitlines()[-1] if p.returncode != 0 and p.stderr.strip() else ""
    except subprocess.TimeoutExpired:
        verdict, nodes, err = "timeout(killed)", "", ""
    return verdict, time.time() - start, nodes, err

def run_marabou(net, prop, timeout):
    code = ("import sys\nfrom maraboupy import Marabou\n"
            "net=Marabou.read_onnx(sys.argv[1])\n"
            "opts=Marabou.createOptions(timeoutInSeconds=int(sys.argv[3]),verbosity=0)\n"
            "r=net.solve(propertyFilename=sys.argv[2],options=opts,verbose=False)\n"
            "print('RESULT', r[0])\n")
    start = time.time()
    try:
        p = subprocess.run([sys.executable, "-c", code, net, prop, str(int(timeout))], capture_output=True, text=True,
                           timeout=timeout + 30)
        line = next((l for l in p.stdout.splitlines() if l.startswith("RESULT")), "RESULT error")
        v = line.split()[1]
        verdict = {"sat": "sat", "unsat": "unsat", "TIMEOUT": "timeout"}.get(v, v)
    except subprocess.TimeoutExpired:
        verdict = "timeout(killed)"
    return verdict, time.time() - start

def add_selection_args(ap):
    """The instance-selection options shared with compare.py."""
    ap.add_argument("bench")
    ap.add_argument("--timeout-scale", type=float, default=1.0)
    ap.add_argument("--max-timeout", type=float, default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--filter", default=None)
    ap.add_argument("--instances", default=None, help="CSV of onnx,vnnlib[,timeout] rows to run instead of instances.csv")

def load_expected(bench):
    """{(onnx, vnnlib): verdict} from BENCH/expected.csv, empty if there is none."""
    expected = {}
    exp_path = os.path.join(bench, "expected.csv")
    if os.path.exists(exp_path):
        for r in csv.DictReader(open(exp_path)):
            expected[(r["onnx"], r["vnnlib"])] = r["expected"]
    return expected

def select_instances(a):
    """[(onnx, vnnlib, timeout)] after --instances, --filter, --limit; timeout scaled and capped."""
    instances = [r for r in csv.reader(open(os.path.join(a.bench, "instances.csv"))) if r]
    if a.instances:
        # A row's own timeout (third column), when it has one, replaces the instances.csv limit.
        wanted = [r for r in csv.reader(open(a.instances)) if r and not r[0].startswith("#")]
        by_key = {(r[0], r[1]): r for r in instances}
        instances = [[r[0], r[1], r[2] if len(r) > 2 and r[2].strip() else by_key[(r[0], r[1])][2]]
                     for r in wanted if (r[0], r[1]) in by_key]
    if a.filter:
        instances = [r for r in instances if a.filter in r[0] + " " + r[1]]
    if a.limit:
        instances = instances[: a.limit]
    selected = []
    for onnx, vnnlib, t in instances:
        timeout = float(t) * a.timeout_scale
        if a.max_timeout:
            timeout = min(timeout, a.max_timeout)
        selected.append((onnx, vnnlib, timeout))
    return selected

def is_wrong(verdict, expected):
    return verdict in ("sat", "unsat") and expected in ("sat", "unsat") and verdict != expected

def write_rows(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["instance"])
        w.writeheader()
        w.writerows(rows)

def run_suite(a, instances):
    """Runs the selected instances with `nncert suite` (one process); returns its exit code."""
    with tempfile.TemporaryDirectory() as tmp:
        listing, report = os.path.join(tmp, "instances.csv"), os.path.join(tmp, "suite.json")
        with open(listing, "w", newline="") as f:
            for onnx, vnnlib, timeout in instances:
                f.write(f"{os.path.abspath(os.path.join(a.bench, onnx))},{os.path.abspath(os.path.join(a.bench, vnnlib))},{timeout}\n")
        command = [a.nncert, "suite", listing, "--json", report]
        exp_path = os.path.join(a.bench, "expected.csv")
        if os.path.exists(exp_path):
            command += ["--expected", exp_path]
        code = subprocess.run(command, stdout=subprocess.DEVNULL).returncode
        if code == 2 or not os.path.exists(report):
            sys.exit(f"nncert suite failed (exit {code})")
        checks = json.load(open(report))["checks"]
    rows, decided, wrong, total = [], 0, 0, 0.0
    print(f"{'instance':58} {'expected':8} {'nncert':10} {'s':>7} {'nodes':>8}")
    for (onnx, vnnlib, _), c in zip(instances, checks):
        d = c["details"]
        verdict, exp, bad = d.get("verdict", "error"), d.get("expected", "?"), c["status"] == "failed"
        decided += verdict in ("sat", "unsat") and not bad
        wrong += bad
        total += c["seconds"]
        rows.append({"instance": f"{onnx} {vnnlib}", "expected": exp, "verdict": verdict,
                     "seconds": f"{c['seconds']:.2f}", "nodes": d.get("nodes", ""),
                     "error": c.get("message", "") if c["status"] == "error" else ""})
        print(f"{onnx[:40] + ' ' + vnnlib:58} {exp:8} {verdict + (' WRONG' if bad else ''):10} {c['seconds']:7.2f} "
              f"{d.get('nodes', ''):>8}", flush=True)
    return rows, decided, wrong, total

def main():
    ap = argparse.ArgumentParser()
    add_selection_args(ap)
    ap.add_argument("--nncert", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "nncert"))
    ap.add_argument("--out", default="benchmark_results.csv")
    ap.add_argument("--peer", choices=["marabou"], default=None)
    ap.add_argument("--in-process", action="store_true",
                    help="run the instances with `nncert suite` (one process) instead of one `verify` each")
    a = ap.parse_args()
    if a.in_process and a.peer:
        ap.error("--in-process runs nncert alone; drop --peer")
    expected = load_expected(a.bench)
    instances = select_instances(a)
    if a.in_process:
        rows, decided, wrong, total = run_suite(a, instances)
        write_rows(a.out, rows)
        print(f"\nnncert: decided {decided}/{len(instances)}, wrong {wrong}, total {total:.1f} s")
        return
    rows, decided, wrong, total = [], 0, 0, 0.0
    peer_decided, peer_total = 0, 0.0
    result_path = os.path.join("/tmp", f"nncert_result_{os.getpid()}.txt")
    print(f"{'instance':58} {'expected':8} {'nncert':10} {'s':>7} {'nodes':>8}" + (f" {'peer':10} {'s':>7}" if a.peer else ""))
    for onnx, vnnlib, timeout in instances:
        net, prop = os.path.join(a.bench, onnx), os.path.join(a.bench, vnnlib)
        verdict, secs, nodes, err = run_nncert(a.nncert, net, prop, timeout, result_path)
        exp = expected.get((onnx, vnnlib), "?")
        ok = verdict in ("sat", "unsat")
        bad = is_wrong(verdict, exp)
        decided += ok and not bad
        wrong += bad
        total += secs
        row = {"instance": f"{onnx} {vnnlib}", "expected": exp, "verdict": verdict, "seconds": f"{secs:.2f}",
               "nodes": nodes, "error": err}
        line = f"{onnx[:40] + ' ' + vnnlib:58} {exp:8} {verdict + (' WRONG' if bad else ''):10} {secs:7.2f} {nodes:>8}"
        if a.peer:
            pv, ps = run_marabou(net, prop, timeout)
            peer_decided += pv in ("sat", "unsat")
            peer_total += ps
            row.update({"peer": a.peer, "peer_verdict": pv, "peer_seconds": f"{ps:.2f}"})
            line += f" {pv:10} {ps:7.2f}"
        rows.append(row)
        print(line, flush=True)
    write_rows(a.out, rows)
    print(f"\nnncert: decided {decided}/{len(instances)}, wrong {wrong}, total {total:.1f} s")
    if a.peer:
        ratio = peer_total / total if total else float("nan")
        print(f"{a.peer}: decided {peer_decided}/{len(instances)}, total {peer_total:.1f} s; peer/nncert time ratio {ratio:.2f}")

if __name__ == "__main__":
    main()
