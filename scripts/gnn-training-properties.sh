#!/bin/sh
# Training properties for the bundled GNN branching model (docs/architecture.md, "The learned GNN heuristic"):
# the centres of the MNIST-FC VNN-COMP properties (prop_I_0.03.vnnlib, recovered exactly from their clipped boxes)
# at other radii, for the 256x2 network only (the 256x4 and 256x6 instances are evaluation instances).
# Usage: scripts/gnn-training-properties.sh OUTDIR [EPS…]   (default EPS: 0.015 0.02 0.025)
set -eu
out=$1; shift
[ $# -gt 0 ] || set -- 0.015 0.02 0.025
src=${MNISTFC:-../shared/benchmarks/mnistfc}
mkdir -p "$out"
for f in "$src"/prop_*_0.03.vnnlib; do
  base=$(basename "$f" _0.03.vnnlib)
  for eps in "$@"; do
    awk -v e0=0.03 -v e="$eps" '
      /^\(assert \(<= X_/ { i = $3; sub(/\)+$/, "", $4); ub[i] = $4 + 0; next }
      /^\(assert \(>= X_/ { i = $3; sub(/\)+$/, "", $4); lb[i] = $4 + 0; order[n++] = i; next }
      /^; Input constraints/ { ininput = 1 }
      { if (!ininput) print; else if ($0 ~ /^; Output constraints/) { out = 1 } ; if (out) rest = rest $0 "\n" }
      END {
        print "; Input constraints (radius " e ", centre of the 0.03 property):"
        for (k = 0; k < n; k++) {
          i = order[k]
          if (lb[i] > 0) c = lb[i] + e0; else if (ub[i] < 1) c = ub[i] - e0; else c = 0.5
          l = c - e; u = c + e; if (l < 0) l = 0; if (u > 1) u = 1
          printf "(assert (<= %s %.9g))\n(assert (>= %s %.9g))\n", i, u, i, l
        }
        printf "\n%s", rest
      }' "$f" > "$out/${base}_$eps.vnnlib"
  done
done
