#!/usr/bin/env python3
"""Runs `nncert lipschitz NET --method M --json` for two builds back to back and prints bound, dual lower bound,
gap, iterations and wall time per network and method (the builds alternate first, so that load drifts fall on both).

    python3 benchmarks/lipschitz/compare_builds.py --baseline /tmp/nncert-A --candidate /tmp/nncert-B \
        [--label-baseline A] [--label-candidate B] [--methods lipsdp-neuron] [--env-baseline K=V] NET.onnx...

`--env-baseline K=V` / `--env-candidate K=V` set environment variables for one side (e.g. OPENBLAS_CORETYPE to
compare kernel sets with one binary).
"""
import argparse, json, os, subprocess, time


def run(binary, net, method, env):
    start = time.monotonic()
    p = subprocess.run([binary, "lipschitz", net, "--method", method, "--json"], capture_output=True, text=True,
                       env={**os.environ, **env})
    wall = time.monotonic() - start
    if p.returncode != 0:
        return {"error": p.stderr.strip()[:80]}, wall
    return json.loads(p.stdout), wall


def env_pairs(items):
    return dict(item.split("=", 1) for item in items)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--candidate", required=True)
    ap.add_argument("--label-baseline", default="baseline")
    ap.add_argument("--label-candidate", default="candidate")
    ap.add_argument("--methods", default="lipsdp-layer,lipsdp-neuron")
    ap.add_argument("--env-baseline", action="append", default=[])
    ap.add_argument("--env-candidate", action="append", default=[])
    ap.add_argument("nets", nargs="+")
    args = ap.parse_args()
    sides = [(args.label_baseline, args.baseline, env_pairs(args.env_baseline)),
             (args.label_candidate, args.candidate, env_pairs(args.env_candidate))]
    print(f"{'network':28} {'method':14} {'build':12} {'bound':>14} {'optimum >=':>14} {'gap':>7} {'iters':>6} {'wall s':>7}")
    order = 0
    for net in args.nets:
        for method in args.methods.split(","):
            results = {}
            for label, binary, env in (sides if order % 2 == 0 else sides[::-1]):
                results[label] = run(binary, net, method, env)
            order += 1
            for label, _, _ in sides:
                r, wall = results[label]
                bound = r.get("bound", float("nan"))
                lower = r.get("optimumLowerBound")
                gap = r.get("gap")
                print(f"{os.path.basename(net)[:28]:28} {method:14} {label:12} {bound:14.6g} "
                      f"{(f'{lower:.6g}' if lower is not None else '-'):>14} "
                      f"{(f'{100 * gap:.1f}%' if gap is not None else '-'):>7} {r.get('iterations', '-'):>6} {wall:7.1f}",
                      flush=True)


if __name__ == "__main__":
    main()
