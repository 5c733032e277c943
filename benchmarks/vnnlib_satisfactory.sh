#!/usr/bin/env bash
# Runs the PyPI test suite vnnlib-satisfactory (an automated test suite for VNN-LIB 2.0 solvers) against nncert
# and prints its counts, then every non-passing case grouped by reason class.
#
# Usage: bash benchmarks/vnnlib_satisfactory.sh [--timeout SECONDS] [--test CATEGORY]
#
# Environment:
#   VNNSAT_VENV   the virtual environment holding the suite (default /work/venv-vnnsat; created with
#                 `python3 -m venv` and `pip install vnnlib-satisfactory==1.0.1` when it is missing)
#   NNCERT        the nncert binary (default: .build/release/nncert, built with
#                 `swift build -c release --product nncert` when it is missing)
#   VNNSAT_DIR    where the suite writes its artefacts and report.json (default /tmp/vnnsat-run)
#
# The suite calls `$NNCERT supports --onnx-operators` (and the theory capabilities) to decide which cases to
# skip, then `$NNCERT verify QUERY.vnnlib --network N=MODEL.onnx --timeout T` for every other case, one process
# per case, and compares the first sat/unsat/unknown on stdout with the case's known answer. Its own timeout is
# 5 s per case; this script passes --timeout through (default 5).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VNNSAT_VENV:-/work/venv-vnnsat}"
NNCERT="${NNCERT:-$ROOT/.build/release/nncert}"
WORKDIR="${VNNSAT_DIR:-/tmp/vnnsat-run}"
TIMEOUT=5
TEST_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --test) TEST_ARGS=(--test "$2" --no-verbose); shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

if [ ! -x "$VENV/bin/vnnlib-satisfactory" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "vnnlib-satisfactory==1.0.1"
fi
if [ ! -x "$NNCERT" ]; then
    (cd "$ROOT" && swift build -c release --product nncert)
fi
NNCERT="$(cd "$(dirname "$NNCERT")" && pwd)/$(basename "$NNCERT")"

mkdir -p "$WORKDIR"
cd "$WORKDIR"
"$VENV/bin/vnnlib-satisfactory" run --solver "$NNCERT" --timeout "$TIMEOUT" "${TEST_ARGS[@]}" > run.log 2>&1 || true
grep -E '^[0-9]+/[0-9]+ passed' run.log || { tail -20 run.log; exit 1; }

"$VENV/bin/python" - "$WORKDIR/.vnnlib-satisfactory/report.json" <<'EOF'
import collections, json, sys

report = json.load(open(sys.argv[1]))
multi = {"network_multiple", "network_equal", "network_isomorphic"}
groups = collections.defaultdict(list)
for r in report["results"]:
    if r["outcome"] == "pass":
        continue
    first_error = next((l for l in r["stderr"].splitlines() if l.strip()), "")
    groups[(r["outcome"], r["category"])].append((r["test_id"], r["expected"], r["actual"], first_error[:160]))
skipped = collections.Counter(s["missing_op"] for s in report["skipped"])
multi_skipped = [s["test_id"] for s in report["skipped"] if s["category"] in multi]
s = report["summary"]
print(f"pass {s['passed']} / skip {s['skipped']} / fail {s['failed']} / suspect {s['suspect']} / "
      f"error {s['errored']} (total {s['total']}); multi-network cases: {len(multi_skipped)} skipped, "
      f"{sum(len(v) for (o, c), v in groups.items() if c in multi)} run and not passed")
print("skipped by missing capability:", ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())))
for (outcome, category), cases in sorted(groups.items()):
    print(f"{outcome} {category}:")
    for test_id, expected, actual, error in cases:
        print(f"    {test_id}: expected {expected}, got {actual}" + (f" -- {error}" if error else ""))
EOF
