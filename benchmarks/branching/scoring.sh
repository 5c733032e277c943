#!/usr/bin/env bash
# Times the GNN's scoring (one branching decision's inference) on a network's graph, with glibc's allocator tuned
# as nncert tunes it (Sources/nncert/AllocatorTuning.swift: mmap threshold 256 MiB, trim threshold 512 MiB).
#
# Usage: bash benchmarks/branching/scoring.sh NET.onnx [SCORINGS] [ROUNDS]
#   Builds gnn-bench (release) and runs it ROUNDS times (default 3), one line each. To compare two builds, copy
#   each build's .build/release/gnn-bench aside and alternate them with GNN_BENCH=… (the checksum must match).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NET="${1:?usage: scoring.sh NET.onnx [SCORINGS] [ROUNDS]}"
SCORINGS="${2:-40}"
ROUNDS="${3:-3}"
BENCH="${GNN_BENCH:-}"
if [ -z "$BENCH" ]; then
    (cd "$ROOT" && swift build -c release --product gnn-bench >/dev/null)
    BENCH="$ROOT/.build/release/gnn-bench"
fi
for _ in $(seq 1 "$ROUNDS"); do
    MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=536870912 "$BENCH" "$NET" "$SCORINGS"
done
