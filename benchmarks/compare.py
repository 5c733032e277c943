#!/usr/bin/env python3
"""Compares two nncert builds on a VNN-COMP benchmark set, timed back to back.

Usage:
  python3 benchmarks/compare.py BENCHMARK_DIR --baseline PATH --candidate PATH
                                [--baseline-label NAME] [--candidate-label NAME] [--out compare.csv]
                                [--filter SUBSTR] [--max-timeout S] [--timeout-scale F] [--limit N] [--instances CSV]

The machine is shared and noisy, so speed is reported as a ratio of two binaries measured in the same run, not as
a lone absolute time. Both binaries run every instance, interleaved: baseline then candidate on the 1st instance,
candidate then baseline on the 2nd, and so on, so that drifting load falls on both alike. Each run is a fresh
`nncert verify NET PROP --timeout T --result FILE` process (vnncomp.py's run_nncert; wall time including process
start). Instance selection and timeouts are as in vnncomp.py.

Summary per binary: decided (sat + unsat - wrong, as in vnncomp.py), sat, unsat, timeout, unknown (any other
answer, errors included; errors also counted apart), wrong (against expected.csv), total wall time; then the
candidate/baseline ratio of total time and the geometric mean of per-instance time ratios over instances both
decided. Instances whose verdicts differ between the two binaries are listed. Exit code 1 if either binary gives
a wrong verdict, or if the two answer sat and unsat on the same instance (one of them is then wrong even where
expected.csv has no verdict).

Copy the binaries aside first (cp .build/release/nncert /tmp/nncert-NAME) so that a rebuild cannot change them
mid-run; the script hashes both at start and end and warns if either changed.
"""
import argparse, csv, hashlib, math, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vnncomp import add_selection_args, is_wrong, load_expected, run_nncert, select_instances


def category(verdict):
    if verdict in ("sat", "unsat"):
        return verdict
    if verdict.startswith("timeout"):
        return "timeout"
    return "unknown"


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:12]


def main():
    ap = argparse.ArgumentParser(description="Compare two nncert binaries, interleaved per instance.")
    add_selection_args(ap)
    ap.add_argument("--baseline", required=True, help="path of the baseline nncert binary")
    ap.add_argument("--candidate", required=True, help="path of the candidate nncert binary")
    ap.add_argument("--baseline-label", default="baseline")
    ap.add_argument("--candidate-label", default="candidate")
    ap.add_argument("--out", default="compare_results.csv", help="per-instance CSV")
    a = ap.parse_args()

    sides = [("baseline", a.baseline_label, a.baseline), ("candidate", a.candidate_label, a.candidate)]
    for _, label, path in sides:
        if not os.access(path, os.X_OK):
            sys.exit(f"{label}: {path} is not an executable file")
    hashes = {key: digest(path) for key, _, path in sides}
    expected = load_expected(a.bench)
    instances = select_instances(a)
    if not instances:
        sys.exit("no instances selected")
    load_start = os.getloadavg()[0]

    bl, cl = a.baseline_label, a.candidate_label
    w = max(10, len(bl), len(cl))
    print(f"{'instance':58} {'expected':8} {bl[:w]:{w}} {'s':>7} {cl[:w]:{w}} {'s':>7} {'ratio':>6}  first")
    rows = []
    stats = {key: {"sat": 0, "unsat": 0, "timeout": 0, "unknown": 0, "error": 0, "wrong": 0, "total": 0.0}
             for key, _, _ in sides}
    log_ratios, differ, conflict = [], [], []
    for i, (onnx, vnnlib, timeout) in enumerate(instances):
        net, prop = os.path.join(a.bench, onnx), os.path.join(a.bench, vnnlib)
        exp = expected.get((onnx, vnnlib), "?")
        order = sides if i % 2 == 0 else sides[::-1]
        res = {}
        for key, _, path in order:
            result_path = os.path.join("/tmp", f"nncert_compare_{os.getpid()}_{key}.txt")
            verdict, secs, nodes, err = run_nncert(path, net, prop, timeout, result_path)
            res[key] = (verdict, secs, nodes, err)
            s = stats[key]
            s[category(verdict)] += 1
            s["error"] += verdict.startswith("error")
            s["wrong"] += is_wrong(verdict, exp)
            s["total"] += secs
        (bv, bs, bn, be), (cv, cs, cn, ce) = res["baseline"], res["candidate"]
        ratio = cs / bs if bs > 0 else float("nan")
        both = category(bv) in ("sat", "unsat") and category(cv) in ("sat", "unsat")
        if both and bs > 0 and cs > 0:
            log_ratios.append(math.log(ratio))
        name = f"{onnx} {vnnlib}"
        flag = ""
        if bv != cv:
            differ.append((name, bv, cv))
            flag = " DIFFERS"
        if {bv, cv} == {"sat", "unsat"}:
            conflict.append(name)
            flag = " CONFLICT"
        for v in (bv, cv):
            if is_wrong(v, exp):
                flag += " WRONG"
                break
        rows.append({"instance": name, "onnx": onnx, "vnnlib": vnnlib, "timeout": f"{timeout:g}", "expected": exp,
                     "first": order[0][0],
                     "baseline_verdict": bv, "baseline_seconds": f"{bs:.3f}", "baseline_nodes": bn,
                     "baseline_wrong": int(is_wrong(bv, exp)), "baseline_error": be,
                     "candidate_verdict": cv, "candidate_seconds": f"{cs:.3f}", "candidate_nodes": cn,
                     "candidate_wrong": int(is_wrong(cv, exp)), "candidate_error": ce,
                     "ratio": f"{ratio:.3f}", "verdicts_differ": int(bv != cv)})
        print(f"{onnx[:40] + ' ' + vnnlib:58} {exp:8} {bv[:w]:{w}} {bs:7.2f} {cv[:w]:{w}} {cs:7.2f} {ratio:6.2f}"
              f"  {order[0][1]}{flag}", flush=True)

    with open(a.out, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        wr.writeheader()
        wr.writerows(rows)

    n = len(instances)
    load_end = os.getloadavg()[0]
    print(f"\n{n} instances from {a.bench}, interleaved (order alternates per instance); "
          f"load average {load_start:.1f} at start, {load_end:.1f} at end; per-instance CSV: {a.out}")
    lw = max(len(bl), len(cl), 6)
    print(f"{'binary':{lw}} {'sha256':12} {'decided':>7} {'sat':>5} {'unsat':>5} {'timeout':>7} {'unknown':>7} "
          f"{'wrong':>5} {'total s':>9}")
    for key, label, _ in sides:
        s = stats[key]
        decided = s["sat"] + s["unsat"] - s["wrong"]
        unknown = f"{s['unknown']}" + (f" ({s['error']} err)" if s["error"] else "")
        print(f"{label:{lw}} {hashes[key]:12} {decided:>7} {s['sat']:>5} {s['unsat']:>5} {s['timeout']:>7} "
              f"{unknown:>7} {s['wrong']:>5} {s['total']:>9.1f}")
    bt, ct = stats["baseline"]["total"], stats["candidate"]["total"]
    print(f"\n{cl}/{bl} total wall time: {ct / bt if bt > 0 else float('nan'):.3f}")
    if log_ratios:
        print(f"{cl}/{bl} geometric mean of per-instance time ratios over the {len(log_ratios)} instances both "
              f"decided: {math.exp(sum(log_ratios) / len(log_ratios)):.3f}")
    else:
        print(f"{cl}/{bl} geometric mean of per-instance time ratios: n/a (no instance decided by both)")
    print("(below 1: the candidate is faster)")
    if differ:
        print(f"\nverdicts differ on {len(differ)} instance(s):")
        for name, bv, cv in differ:
            tag = "  CONFLICT (sat vs unsat)" if name in conflict else ""
            print(f"  {name}: {bl} {bv}, {cl} {cv}{tag}")
    else:
        print("\nverdicts identical on every instance")
    for key, label, path in sides:
        if os.path.exists(path) and digest(path) != hashes[key]:
            print(f"WARNING: {label} binary {path} changed during the run; copy it aside and rerun")
    wrong = stats["baseline"]["wrong"] + stats["candidate"]["wrong"]
    if wrong or conflict:
        print(f"\nFAIL: {stats['baseline']['wrong']} wrong verdict(s) from {bl}, {stats['candidate']['wrong']} "
              f"from {cl}" + (f", {len(conflict)} sat/unsat conflict(s) between them" if conflict else ""))
        sys.exit(1)


if __name__ == "__main__":
    main()
