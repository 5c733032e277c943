#!/usr/bin/env python3
"""Evaluate ReLU-split branching heuristics (issue 13) on the held-out sets.

    python3 benchmarks/branching/evaluate.py --heuristics babsr,fsb,gnn,gnn-online --timeout 60

For every instance of every set, runs
    nncert verify NET PROP --mode relu-split <flags of H> --timeout T --json
for each heuristic H back to back (interleaved, so machine noise hits all alike), one process at a
time unless --jobs > 1 (then instances run in parallel, the heuristics of one instance still back
to back). Each run is appended to the CSV as soon as it ends (benchmarks/results/branching-<commit>.csv
by default; --resume skips runs already in it). Verdicts are checked against the set's expected
verdict where known, and a sat/unsat disagreement between heuristics is flagged WRONG.
At the end it prints the table (see summarise) and writes the cactus plot (cactus.py).

    python3 benchmarks/branching/evaluate.py --table benchmarks/results/branching-<commit>.csv

re-prints the table (and rewrites the plot) from a CSV, merging several CSVs if given.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

# Heuristic name → nncert flags (issue 13).
# "gnn" is the paper's GNN without online fine-tuning; "gnn-online" is GNN + online fine-tuning
# (on by default in nncert, per the issue). Both keep the fail-safe (on by default).
HEURISTICS = {
    "babsr": ["--branching", "babsr"],
    "fsb": ["--branching", "fsb"],
    "widest": ["--branching", "widest"],
    "strong": ["--branching", "strong"],
    "gnn": ["--branching", "gnn", "--no-online-tuning"],
    "gnn-online": ["--branching", "gnn"],
    "gnn-nofailsafe": ["--branching", "gnn", "--no-online-tuning", "--no-gnn-fail-safe"],
}


def flags(heuristic, model=None):
    name, _, own_model = heuristic.partition("@")             # gnn-online@MODEL: that heuristic with its own model
    if own_model and name.startswith("gnn"):
        heuristic, model = name, own_model
    if heuristic.startswith("strong:"):                       # strong:K, K = BaBSR's best K evaluated
        out = ["--branching", heuristic]
    elif heuristic in HEURISTICS:
        out = list(HEURISTICS[heuristic])
    else:
        raise SystemExit(f"unknown heuristic {heuristic!r}; known: {', '.join(HEURISTICS)}, strong:K")
    if model and heuristic.startswith("gnn"):
        out[out.index("gnn")] = f"gnn:{model}"
    return out


FIELDS = ["set", "onnx", "vnnlib", "heuristic", "expected", "verdict", "nodes", "seconds", "wall",
          "boundComputations", "timeout", "check", "exit", "load", "error"]


def resolve(path, bench):
    if path.startswith("shared:"):
        return os.path.join(bench, path[len("shared:"):])
    return os.path.join(REPO, path)


def git_commit():
    try:
        return subprocess.check_output(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], text=True).strip()
    except Exception:
        return "unknown"


def run_one(binary, net, prop, heuristic, timeout, model, extra):
    cmd = [binary, "verify", net, prop, "--mode", "relu-split"] + flags(heuristic, model) + \
          ["--timeout", str(timeout), "--json"] + extra
    start = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout * 1.5 + 30)
        wall = time.time() - start
        out, code, err = p.stdout, p.returncode, p.stderr.strip().splitlines()[-1:] if p.stderr.strip() else []
    except subprocess.TimeoutExpired as e:
        wall = time.time() - start
        return {"verdict": "killed", "wall": f"{wall:.3f}", "exit": "", "error": "wall-clock limit (1.5×timeout+30 s)"}
    row = {"wall": f"{wall:.3f}", "exit": code, "error": err[0][:200] if err else ""}
    try:
        j = json.loads(out[out.index("{"):])
        row.update(verdict=j.get("verdict", ""), nodes=j.get("nodes", ""),
                   seconds=f"{float(j.get('seconds', wall)):.3f}", boundComputations=j.get("boundComputations", ""))
    except (ValueError, json.JSONDecodeError):
        row.update(verdict="error")
    return row


def load_avg():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return ""


def main():
    ap = argparse.ArgumentParser(description="Evaluate ReLU-split branching heuristics (issue 13).")
    ap.add_argument("--heuristics", default="babsr,fsb", help="comma list: " + ", ".join(HEURISTICS) + ", strong:K")
    ap.add_argument("--sets", default="eval-oval21-base,eval-cifar-wide-deep,eval-mnistfc-4-6",
                    help="comma list of set names (properties/<name>.csv) or CSV paths")
    ap.add_argument("--timeout", type=float, default=60, help="per-instance nncert --timeout, seconds (default 60)")
    ap.add_argument("--set-timeout", action="append", default=[], metavar="SET=S",
                    help="per-set timeout override (repeatable)")
    ap.add_argument("--binary", default=os.environ.get("NNCERT", os.path.join(REPO, ".build", "release", "nncert")))
    ap.add_argument("--benchmarks", default=os.path.normpath(os.path.join(REPO, "..", "shared", "benchmarks")))
    ap.add_argument("--model", help="a GNN model file for the gnn heuristics (--branching gnn:FILE)")
    ap.add_argument("--extra", default="", help="extra nncert flags, space separated")
    ap.add_argument("--jobs", type=int, default=1, help="instances in parallel (default 1: one nncert at a time)")
    ap.add_argument("--limit", type=int, help="first N instances of each set only")
    ap.add_argument("--out", help="CSV (default benchmarks/results/branching-<commit>.csv)")
    ap.add_argument("--resume", action="store_true", help="skip runs already in --out")
    ap.add_argument("--table", nargs="*", help="only print the table (and plot) from these CSVs")
    ap.add_argument("--svg", help="cactus plot path (default benchmarks/results/branching-cactus-<commit>.svg)")
    args = ap.parse_args()
    commit = git_commit()
    svg = args.svg or os.path.join(REPO, "benchmarks", "results", f"branching-cactus-{commit}.svg")

    if args.table is not None:
        rows = []
        for path in args.table:
            rows += list(csv.DictReader(open(path)))
        rows = check(rows)
        print(summarise(rows))
        import cactus
        cactus.write(rows, svg)
        print(f"cactus plot: {svg}")
        return

    heuristics = [h for h in args.heuristics.split(",") if h]
    for h in heuristics:
        flags(h, args.model)
    if not os.access(args.binary, os.X_OK):
        raise SystemExit(f"no nncert binary at {args.binary} (--binary or NNCERT=…)")
    instances = []
    for s in args.sets.split(","):
        path = s if s.endswith(".csv") else os.path.join(HERE, "properties", s + ".csv")
        rs = list(csv.DictReader(open(path)))
        instances += rs[:args.limit] if args.limit else rs
    for r in instances:
        for key in ("onnx", "vnnlib"):
            if not os.path.exists(resolve(r[key], args.benchmarks)):
                raise SystemExit(f"missing {resolve(r[key], args.benchmarks)}: run benchmarks/branching/make_properties.py")

    out = args.out or os.path.join(REPO, "benchmarks", "results", f"branching-{commit}.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    done = set()
    if args.resume and os.path.exists(out):
        for r in csv.DictReader(open(out)):
            done.add((r["set"], r["onnx"], r["vnnlib"], r["heuristic"]))
    new = not (args.resume and os.path.exists(out))
    f = open(out, "w" if new else "a", newline="")
    writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
    if new:
        writer.writeheader()
    extra = args.extra.split()
    set_timeout = {}
    for st in args.set_timeout:
        name, _, val = st.partition("=")
        set_timeout[name] = float(val)
    print(f"{len(instances)} instances × {len(heuristics)} heuristics, timeout {args.timeout:g} s, "
          f"binary {args.binary}, commit {commit}, load {load_avg()}; writing {out}", flush=True)

    def work(i_r):
        i, r = i_r
        results = []
        for h in heuristics:
            if (r["set"], r["onnx"], r["vnnlib"], h) in done:
                continue
            load = load_avg()
            limit = set_timeout.get(r["set"], args.timeout)
            res = run_one(args.binary, resolve(r["onnx"], args.benchmarks), resolve(r["vnnlib"], args.benchmarks),
                          h, limit, args.model, extra)
            row = {k: r[k] for k in ("set", "onnx", "vnnlib", "expected")}
            row.update(heuristic=h, timeout=f"{limit:g}", load=load, **res)
            if r["expected"] in ("sat", "unsat") and row["verdict"] in ("sat", "unsat") and row["verdict"] != r["expected"]:
                row["check"] = "WRONG"
            writer.writerow(row)
            f.flush()
            print(f"[{i + 1}/{len(instances)}] {r['set']} {os.path.basename(r['onnx'])} {os.path.basename(r['vnnlib'])} "
                  f"{h}: {row['verdict']} nodes={row.get('nodes', '')} {row.get('seconds', row['wall'])} s"
                  f"{'  WRONG' if row.get('check') else ''}", flush=True)
            results.append(row)
        return results

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        list(pool.map(work, enumerate(instances)))
    f.close()
    rows = check(list(csv.DictReader(open(out))))
    print(summarise(rows))
    import cactus
    cactus.write(rows, svg)
    print(f"results: {out}\ncactus plot: {svg}")


def check(rows):
    """Marks WRONG: a verdict against the expected one, or sat/unsat disagreement between heuristics."""
    by = {}
    for r in rows:
        by.setdefault((r["set"], r["onnx"], r["vnnlib"]), []).append(r)
    for rs in by.values():
        exp = rs[0]["expected"]
        verdicts = {r["verdict"] for r in rs} & {"sat", "unsat"}
        for r in rs:
            if r["verdict"] in ("sat", "unsat"):
                if exp in ("sat", "unsat") and r["verdict"] != exp:
                    r["check"] = "WRONG"
                elif not exp and len(verdicts) > 1:
                    r["check"] = "WRONG"       # heuristics disagree, truth unknown: all suspect
    return rows


def decided(r):
    return r["verdict"] in ("sat", "unsat") and r.get("check") != "WRONG"


def secs(r):
    t = float(r["timeout"])
    return min(float(r["seconds"]), t) if decided(r) and r.get("seconds") else t


def summarise(rows):
    """Per set and heuristic: solved, timeouts (and other unsolved), total time (unsolved at the limit),
    mean nodes and mean time on the instances both BaBSR and H decide, their ratios H/BaBSR, and total
    time / FSB's total time. An 'all' block sums the sets."""
    from cactus import distinct
    heur, sets = distinct(rows, "heuristic"), distinct(rows, "set")
    index = {(r["set"], r["onnx"], r["vnnlib"], r["heuristic"]): r for r in rows}
    lines = []
    hdr = (f"{'set':<22} {'heuristic':<14} {'n':>3} {'solved':>6} {'t/o':>4} {'other':>5} {'wrong':>5} {'total s':>8} "
           f"{'both':>4} {'mean nodes':>10} {'mean s':>7} {'nodes/B':>7} {'time/B':>6} {'total/FSB':>9}")
    lines.append(hdr)
    lines.append("-" * len(hdr))
    for s in sets + ["all"]:
        insts = sorted({(r["set"], r["onnx"], r["vnnlib"]) for r in rows if s == "all" or r["set"] == s})
        totals = {}
        for h in heur:
            totals[h] = sum(secs(index[i + (h,)]) for i in insts if i + (h,) in index)
        for h in heur:
            mine = [index[i + (h,)] for i in insts if i + (h,) in index]
            if not mine:
                continue
            solved = sum(decided(r) for r in mine)
            tos = sum(r["verdict"] == "timeout" for r in mine)
            wrong = sum(r.get("check") == "WRONG" for r in mine)
            other = len(mine) - solved - tos - wrong
            both = [i for i in insts if i + (h,) in index and i + ("babsr",) in index
                    and decided(index[i + (h,)]) and decided(index[i + ("babsr",)])]
            mn = ms = rn = rt = ""
            if both:
                hn = sum(float(index[i + (h,)]["nodes"]) for i in both) / len(both)
                ht = sum(float(index[i + (h,)]["seconds"]) for i in both) / len(both)
                bn = sum(float(index[i + ("babsr",)]["nodes"]) for i in both) / len(both)
                bt = sum(float(index[i + ("babsr",)]["seconds"]) for i in both) / len(both)
                mn, ms = f"{hn:.1f}", f"{ht:.1f}"
                rn = f"{hn / bn:.2f}" if bn else ""
                rt = f"{ht / bt:.2f}" if bt else ""
            rf = ""
            paired = [i for i in insts if i + (h,) in index and i + ("fsb",) in index]
            if paired and "fsb" in heur:
                ft = sum(secs(index[i + ("fsb",)]) for i in paired)
                rf = f"{sum(secs(index[i + (h,)]) for i in paired) / ft:.2f}" if ft else ""
            lines.append(f"{s:<22} {h:<14} {len(mine):>3} {solved:>6} {tos:>4} {other:>5} {wrong:>5} {totals[h]:>8.1f} "
                         f"{len(both):>4} {mn:>10} {ms:>7} {rn:>7} {rt:>6} {rf:>9}")
        lines.append("")
    lines.append("solved = sat/unsat not contradicted; t/o = nncert timeout; other = unknown/error/killed; "
                 "total s = nncert's seconds, unsolved counted at the limit; both/mean/ratios: on instances both "
                 "BaBSR and the heuristic decide; total/FSB = total time / FSB's total time on the same instances.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
