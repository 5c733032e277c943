#!/usr/bin/env bash
# VNN-COMP: run_instance.sh v1 <category> <onnx> <vnnlib> <results_file> <timeout_seconds>
# Writes sat (with the witness), unsat, timeout or unknown to the results file.
set -uo pipefail
[ "$#" -eq 6 ] || { echo "usage: $0 v1 CATEGORY ONNX VNNLIB RESULTS TIMEOUT" >&2; exit 1; }
NNCERT="$(cd "$(dirname "$0")/.." && pwd)/.build/release/nncert"
# Leave a few seconds for process start and writing the result within the harness's limit.
T=$(python3 -c "print(max(1.0, float('$6') - 2.0))" 2>/dev/null || echo "$6")
"$NNCERT" verify "$3" "$4" --timeout "$T" --result "$5" > /dev/null
rc=$?
if [ $rc -ne 0 ]; then echo "unknown" > "$5"; fi
exit 0
