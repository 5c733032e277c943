#!/usr/bin/env bash
# Lipschitz benchmark: every nncert method on seeded random MLPs, MNIST-FC and ACAS Xu, plus the cvxpy/SCS
# LipSDP-Neuron reference (benchmark only) on the nets where SCS finishes within minutes.
# Usage: benchmarks/lipschitz/run.sh [OUTDIR]   (needs python3 with numpy + onnx; cvxpy for the reference)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/nncert-lipschitz-bench}
mkdir -p "$out"
swift build -c release --product lipschitz-bench >/dev/null
bench=.build/release/lipschitz-bench
here=benchmarks/lipschitz
for net in 10-32-32-2 100-64-64-10 784-100-100-10 784-256-256-256-256-256-256-10; do
    python3 $here/make_random_mlp.py $net "$out/$net.json"
done
python3 $here/export_onnx_weights.py properties/mnistfc/mnist-net_256x2.onnx "$out/mnist-net_256x2.json" >/dev/null
python3 $here/export_onnx_weights.py properties/acasxu/ACASXU_run2a_1_1_batch_2000.onnx "$out/acasxu_1_1.json" >/dev/null
printf "%-36s %-14s %12s %9s %6s\n" network method bound seconds iters
for net in 10-32-32-2 100-64-64-10 784-100-100-10 784-256-256-256-256-256-256-10 mnist-net_256x2 acasxu_1_1; do
    for method in naive compositional lipsdp-layer lipsdp-neuron; do
        read -r m bound secs iters margin < <($bench "$out/$net.json" $method)
        printf "%-36s %-14s %12s %9s %6s\n" $net $m $bound $secs $iters
    done
    case $net in
    10-32-32-2 | 100-64-64-10)
        if python3 -c "import cvxpy" 2>/dev/null; then
            read -r solver raw total solve status < <(python3 $here/reference_sdp.py "$out/$net.json" SCS 1e-6)
            printf "%-36s %-14s %12s %9s %6s\n" $net "SCS-1e-6(raw)" $raw $total "-"
        fi
        ;;
    esac
done
