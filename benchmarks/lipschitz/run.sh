#!/usr/bin/env bash
# Lipschitz benchmark: every nncert method on seeded random MLPs, MNIST-FC and ACAS Xu, plus the cvxpy/SCS
# LipSDP-Neuron reference (benchmark only) on the nets where SCS finishes within minutes, run right after
# nncert's LipSDP-Neuron on the same net so that the time ratio is measured under the same load.
# Columns: certified bound; seconds; first-order iterations; for the LipSDP methods the lower bound on the
# method's optimum from the solver's dual point and the relative gap between the two ("-" for closed forms).
# Usage: benchmarks/lipschitz/run.sh [OUTDIR] [EXTRA_ONNX ...]
#   (needs python3 with numpy + onnx; cvxpy for the reference; EXTRA_ONNX, e.g. mnist-net_256x6.onnx from
#   the VNN-COMP MNIST-FC set, are exported and benchmarked too)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/nncert-lipschitz-bench}
shift || true
mkdir -p "$out"
swift build -c release --product lipschitz-bench >/dev/null
bench=.build/release/lipschitz-bench
here=benchmarks/lipschitz
nets=(10-32-32-2 100-64-64-10 784-100-100-10 784-256-256-256-256-256-256-10)
for net in "${nets[@]}"; do
    python3 $here/make_random_mlp.py $net "$out/$net.json"
done
python3 $here/export_onnx_weights.py properties/mnistfc/mnist-net_256x2.onnx "$out/mnist-net_256x2.json" >/dev/null
python3 $here/export_onnx_weights.py properties/acasxu/ACASXU_run2a_1_1_batch_2000.onnx "$out/acasxu_1_1.json" >/dev/null
nets+=(mnist-net_256x2 acasxu_1_1)
for onnx in "$@"; do
    name=$(basename "$onnx" .onnx)
    python3 $here/export_onnx_weights.py "$onnx" "$out/$name.json" >/dev/null
    nets+=("$name")
done
printf "%-36s %-14s %14s %9s %6s %14s %7s\n" network method bound seconds iters optimum-lower gap
for net in "${nets[@]}"; do
    for method in naive compositional lipsdp-layer lipsdp-neuron; do
        read -r m bound secs iters margin lower gap < <($bench "$out/$net.json" $method 2>/dev/null)
        printf "%-36s %-14s %14s %9s %6s %14s %7s\n" $net $m $bound $secs $iters $lower $gap
    done
    case $net in
    10-32-32-2 | 100-64-64-10)
        if python3 -c "import cvxpy" 2>/dev/null; then
            read -r solver raw total solve status < <(python3 $here/reference_sdp.py "$out/$net.json" SCS 1e-6)
            printf "%-36s %-14s %14s %9s %6s %14s %7s\n" $net "SCS-1e-6(raw)" $raw $total "-" "-" "-"
            printf "%-36s time ratio SCS / nncert LipSDP-Neuron: %.1fx\n" $net "$(python3 -c "print($total / $secs)")"
        fi
        ;;
    esac
done
