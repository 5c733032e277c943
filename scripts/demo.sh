#!/bin/sh
# The main job on shipped examples (make demo): inspect, verify and bound networks from properties/, then compress
# ACAS Xu 1_1 and verify the compressed network on properties the original satisfies.
set -u
NNCERT=${1:-.build/release/nncert}
P=properties
run() { echo "\$ nncert $*"; "$NNCERT" "$@"; echo; }

run info $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx
run info $P/acasxu/prop_6.vnnlib
run verify $P/tiny/tiny.onnx $P/tiny/tiny_sat.vnnlib --timeout 20
run verify $P/tiny/tiny.onnx $P/tiny/tiny_unsat.vnnlib --timeout 20
run verify $P/test/test_sat.onnx $P/test/test_prop.vnnlib --timeout 30
run verify $P/test/test_unsat.onnx $P/test/test_prop.vnnlib --timeout 30
run verify $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_1.vnnlib --timeout 60
run verify $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_3.vnnlib --timeout 60
run verify $P/acasxu/ACASXU_run2a_1_2_batch_2000.onnx $P/acasxu/prop_2.vnnlib --timeout 60
run verify $P/mnistfc/mnist-net_256x2.onnx $P/mnistfc/prop_2_0.03.vnnlib --timeout 60
run bounds $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_1.vnnlib
run lipschitz $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --method lipsdp-neuron
run lipschitz $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --method lipsdp-neuron --property $P/acasxu/prop_3.vnnlib

# Compression: prune half of each layer's weights and quantise to 8 bits, then compare the compressed network with
# the original on two properties the original satisfies (properties/regression.csv): prop_1 is preserved, prop_3
# is lost, with a counterexample confirmed on the compressed model; beside them the certified bound on
# |compressed − original| over each box, whether the advisory (the lowest score) is the same on the whole box,
# and both certified Lipschitz bounds.
OUT=${TMPDIR:-/tmp}/nncert-demo
mkdir -p "$OUT"
run compress $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --out "$OUT/acasxu_1_1_pruned_q8.onnx" --prune 0.5 --quantize 8
run compare $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx "$OUT/acasxu_1_1_pruned_q8.onnx" \
    --property $P/acasxu/prop_1.vnnlib --property $P/acasxu/prop_3.vnnlib --decision argmin --report "$OUT/compare.md"
